"""The statements website: `mmnpress site` makes the archive of a project under build/site/.

One stage per module:

- `settings.py` reads the profile's `site:` section (name, logo, colours,
  navigation links, language, base URL);
- `discover.py` finds the statements, decides which the site holds and why
  it leaves the others out (drafts, embargoes, statements that do not build),
  and gives each a stable address (`/<year>/<slug>/`, translations under
  `/<year>/<slug>/<lang>/`);
- `outputs.py` builds their web page, PDF and Word file through the build
  cache (`batch.py`), so nothing unchanged is built again, and takes those
  untouched since the last run from their records (`stamps.py`) without
  reading them through the pipeline at all;
- `layout.py` is the frame of every page (header, navigation, language
  switcher, footer) and the relative links between pages;
- `pages.py` wraps each statement's web page in that frame, with its downloads;
- `archive.py` makes the archive pages (front page, per kind, year and
  language), 20 statements a page;
- `feeds.py` (Atom), `sitemap.py` (sitemap, robots.txt), `search.py`
  (Pagefind, with Thai, Burmese, Khmer and Lao cut into words by ICU);
- `writer.py` writes a file only when its bytes changed, and removes what
  the site no longer holds;
- `make.py` runs them in turn, the search index beside the PDF and Word files.
"""
