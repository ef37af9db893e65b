"""Duplicate signatories on a fixed list of real-looking variants with known answers: no false merge allowed."""

from __future__ import annotations

from mmnpress.signatories.duplicates import THRESHOLD, find, name_key, named

# Each group is one signatory typed several ways (name, country code); the first is the one kept.
SAME = [
    [("Foundation for Education and Development (FED)", "TH"), ("Foundation for Education & Development", "TH"),
     ("FOUNDATION FOR EDUCATION AND DEVELOPMENT", None), ("Foundation for Education and Development (F.E.D.)", "TH"),
     ("Foundation for Educaton and Development", "TH"), ("FED", "TH")],
    [("Legal Support for Children and Women (LSCW)", "KH"), ("Legal Support for Children & Women", "KH"),
     ("legal support for children and women", None), ("Legal Support For Children and Women - LSCW", "KH")],
    [("MAP Foundation", "MM"), ("Map Foundation", "MM"), ("M.A.P. Foundation", "MM")],
    [("Mekong Migration Network (MMN)", None), ("Mekong Migration Network", "TH"), ("Mekong Migration Netwrok", None),
     ("MMN", None)],
    [("Migrant Assistance Programme Foundation", "TH"), ("Migrant Assistance Program Foundation", "TH")],
    [("Cambodian Center for Human Rights (CCHR)", "KH"), ("Cambodian Centre for Human Rights", "KH"),
     ("Cambodian Center for Human Right", "KH")],
    [("Karen Women's Organization", "MM"), ("Karen Womens Organisation", "MM"), ("Karen Women’s Organization (KWO)", "MM")],
    [("Human Rights and Development Foundation", "TH"), ("Human Rights & Development Foundation (HRDF)", "TH"),
     ("Development and Human Rights Foundation", "TH")],
    [("Women's Network for Unity", "KH"), ("Womens Network for Unity", "KH"), ("Women’s Network For Unity (WNU)", "KH")],
    [("Yaung Chi Oo Workers Association", "MM"), ("Yaung Chi Oo Workers' Association", "MM"), ("Yaung Chi Oo Worker Association", "MM")],
    [("Asia Pacific Forum on Women, Law and Development", None), ("Asia-Pacific Forum on Women Law & Development (APWLD)", "TH")],
    [("Raks Thai Foundation", "TH"), ("Rak Thai Foundation", "TH")],
    [("Thai Labour Solidarity Committee", "TH"), ("Thai Labor Solidarity Committee", "TH")],
    [("มูลนิธิเพื่อสิทธิมนุษยชนและการพัฒนา", "TH"), ("มูลนิธิเพื่อสิทธิมนุษยชน และการพัฒนา", "TH")],
    [("Center for Alliance of Labor and Human Rights (CENTRAL)", "KH"), ("Centre for Alliance of Labour & Human Rights", "KH")],
]
# Different signatories that look alike: none of these may be merged with each other or with the groups above.
DIFFERENT = [
    ("Lao Youth Union", "LA"), ("Lao Youth Unit", "LA"), ("Mekong Migrant Network", "TH"), ("Cambodian League for Human Rights", "KH"),
    ("Cambodian Center for Human Rights", "MM"), ("Foundation for Women", "TH"), ("Foundation for Education", "TH"),
    ("Human Rights Foundation of Monland", "MM"), ("Human Rights Foundation", "TH"), ("Workers Association 2", "MM"),
    ("Workers Association 3", "MM"), ("Kachin Women's Association Thailand", "TH"), ("Karen Youth Organization", "MM"),
    ("Migrant Action Programme (MAP)", "PH"), ("Women's Network for Peace", "KH"), ("Save the Children", "TH"),
    ("Save the Children", "MM"), ("Oxfam", "KH"), ("Oxfam", "LA"), ("Burma Campaign UK", "GB"), ("Burma Partnership", "TH"),
    ("Thai Labour Campaign", "TH"), ("Thai Action Committee for Democracy in Burma", "TH"),
    ("มูลนิธิเพื่อการพัฒนาเด็ก", "TH"), ("មជ្ឈមណ្ឌលសិទ្ធិមនុស្សកម្ពុជា", "KH"), ("សម្ព័ន្ធខ្មែរជំរឿននិងការពារសិទ្ធិមនុស្ស", "KH"),
]


def test_variants_are_found_and_nothing_else_is_merged():
    entries, group_of, first_index = [], [], {}
    for group, variants in enumerate(SAME):
        for name, code in variants:
            first_index.setdefault(group, len(entries))
            entries.append(named(name, code))
            group_of.append(group)
    for offset, (name, code) in enumerate(DIFFERENT):
        entries.append(named(name, code))
        group_of.append(len(SAME) + offset)
    assert len(entries) >= 40 + len(DIFFERENT)
    repeats, present = find(entries)
    assert present == []
    found = {m.index: m.kept for m in repeats}
    wrong = [(entries[i].name, entries[k].name) for i, k in found.items() if group_of[i] != group_of[k]]
    assert wrong == []  # no false merge
    missed = [entries[i].name for i in range(len(entries)) if i not in found and first_index.get(group_of[i], i) != i]
    assert missed == []
    assert all(found[i] == first_index[group_of[i]] for i in found)  # the first one typed is the one kept


def test_matching_against_the_statement_counts_present_not_repeats():
    known = [named("MAP Foundation", "MM"), named("Foundation for Education and Development (FED)", "TH")]
    items = [named("Map Foundation", "MM"), named("New Org", "LA"), named("New Org", "LA"), named("FED", None)]
    repeats, present = find(items, known)
    assert [(m.index, m.kept) for m in present] == [(0, 0), (3, 1)]
    assert [(m.index, m.kept) for m in repeats] == [(2, 1)]


def test_the_key_and_the_threshold():
    assert name_key("Development & Education, Foundation for (FED)") == name_key("Foundation for Education and Development")
    assert name_key("Save the Children (Thailand)") != name_key("Save the Children")  # a country in brackets is no acronym
    assert THRESHOLD == 92  # documented in FORMAT.md
