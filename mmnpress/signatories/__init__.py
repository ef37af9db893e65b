"""Sign-on lists of joint statements: read a form's export, clean it, find duplicates and countries, lay the list out.

`reading` turns a CSV, XLSX or ODS file into rows under recognised fields;
`cleaning` trims them and drops rows without consent or a name;
`duplicates` finds the same organisation under two spellings; `countries`
turns country names in any of the statement languages into ISO 3166 codes;
`layout` sorts, groups and counts the list for the render model; `export`
writes it for partners. `merge` and `listed` read and edit statements (they
sit above the pipeline; the rest below it).
"""
