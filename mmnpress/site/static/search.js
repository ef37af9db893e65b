// The site's search: cuts the query into words as the index was cut (Thai, Burmese,
// Khmer and Lao have no spaces between words), asks Pagefind, lists what it finds.
const form = document.getElementById("search-form");
const field = document.getElementById("search-query");
const results = document.getElementById("search-results");
const root = new URL("../", import.meta.url);
let pagefind = null;

export function words(query) {
  const segmenter = new Intl.Segmenter(undefined, { granularity: "word" });
  return [...segmenter.segment(query)].filter((s) => s.isWordLike).map((s) => s.segment).join(" ");
}

function excerpt(markup) {
  // Pagefind's excerpt is escaped text with <mark> around the words found; keep nothing else.
  const template = document.createElement("template");
  template.innerHTML = markup;
  const paragraph = document.createElement("p");
  for (const node of template.content.childNodes) {
    const piece = node.nodeName === "MARK" ? document.createElement("mark") : null;
    if (piece) {
      piece.textContent = node.textContent;
      paragraph.append(piece);
    } else {
      paragraph.append(document.createTextNode(node.textContent));
    }
  }
  return paragraph;
}

export async function search(query) {
  pagefind ??= await import(new URL("pagefind/pagefind.js", root).href);
  await pagefind.options({ baseUrl: root.pathname });
  const found = await pagefind.search(words(query));
  return Promise.all(found.results.slice(0, 20).map((r) => r.data()));
}

async function show(query) {
  results.replaceChildren();
  if (!words(query)) return;
  const found = await search(query);
  if (!found.length) {
    const none = document.createElement("p");
    none.textContent = form.dataset.none;
    results.append(none);
    return;
  }
  const list = document.createElement("ol");
  for (const item of found) {
    const entry = document.createElement("li");
    const heading = document.createElement("a");
    heading.href = new URL(item.url, location.href).href;
    heading.textContent = item.meta.title;
    entry.append(heading, excerpt(item.excerpt));
    list.append(entry);
  }
  results.append(list);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const url = new URL(location.href);
  url.searchParams.set("q", field.value);
  history.replaceState(null, "", url);
  show(field.value);
});
const asked = new URLSearchParams(location.search).get("q");
if (asked) {
  field.value = asked;
  show(asked);
}
window.siteSearch = { search, words };
