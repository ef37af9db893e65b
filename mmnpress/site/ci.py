"""The workflows `mmnpress init --ci github|gitlab` writes: check, build the site, publish it to Pages.

The build/ folder is kept between runs (the build cache), so a run builds
only the statements that changed. `check` exiting 1 (warnings only) lets the
site go out; errors (2) stop it.
"""

from __future__ import annotations

GITHUB_PATH = ".github/workflows/statements-site.yml"
GITLAB_PATH = ".gitlab-ci.yml"

GITHUB = """\
# Check the statements, build the site and publish it to GitHub Pages on every push to main.
# Turn on Pages with "GitHub Actions" as the source (Settings > Pages) once.
name: Statements site
on:
  push:
    branches: [main]
  workflow_dispatch:
permissions:
  contents: read
  pages: write
  id-token: write
concurrency:
  group: pages
  cancel-in-progress: false
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - run: pip install mmnpress
      - name: Check the statements (warnings let the site go out, errors stop it)
        run: mmnpress check || [ $? -eq 1 ]
      - uses: actions/cache@v4
        with:
          path: build
          key: mmnpress-${{ hashFiles('statements/**', 'templates/**', 'bibliography/**') }}
          restore-keys: mmnpress-
      - id: pages
        uses: actions/configure-pages@v5
      - name: Build the site
        run: mmnpress site --base-url "${{ steps.pages.outputs.base_url }}"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: build/site
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""

GITLAB = """\
# Check the statements, build the site and publish it to GitLab Pages on every push to the default branch.
pages:
  image: python:3.11
  cache:
    key: mmnpress-build
    paths: [build/]
  script:
    - pip install mmnpress
    - mmnpress check || [ $? -eq 1 ]   # warnings let the site go out, errors stop it
    - mmnpress site --base-url "$CI_PAGES_URL" -o public
  artifacts:
    paths: [public]
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
"""

WORKFLOWS = {"github": (GITHUB_PATH, GITHUB), "gitlab": (GITLAB_PATH, GITLAB)}


def workflow(host: str) -> tuple[str, str]:
    """Return the path and text of the workflow for `host` (github or gitlab)."""
    return WORKFLOWS[host]
