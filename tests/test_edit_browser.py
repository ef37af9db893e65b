"""`mmnpress edit` in a real headless Chromium driven by selenium: typing Thai and Burmese through an input method,
lists, the citation picker, saving, the preview, a change on disk, axe-core."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from browser import AXE, _fontconfig, chromium_path
from test_edit_server import COMMENTED

from mmnpress.editor.server import Editor

pytestmark = [pytest.mark.skipif(chromium_path() is None or not Path("/usr/bin/chromedriver").exists(),
                                 reason="needs Debian chromium and chromium-driver")]

THAI_TITLE = "แรงงานข้ามชาติหญิงในเขตเศรษฐกิจพิเศษ"
BURMESE = "ရွှေ့ပြောင်းအလုပ်သမားများ၏ အခွင့်အရေးကို ကာကွယ်ပါ"
SHOTS = Path(os.environ.get("MMNPRESS_SCREENSHOTS", "")) if os.environ.get("MMNPRESS_SCREENSHOTS") else None


@pytest.fixture
def editing(project, tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    (project / "statements" / "commented.yaml").write_text(COMMENTED, encoding="utf-8")
    server = Editor(project, "statements/commented.yaml")
    server.start()
    options = Options()
    options.binary_location = chromium_path()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1500,1100", "--lang=en-GB"):
        options.add_argument(flag)
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    service = Service("/usr/bin/chromedriver", env={**os.environ, "FONTCONFIG_FILE": str(_fontconfig(fonts))})
    driver = webdriver.Chrome(options=options, service=service)
    try:
        driver.get(server.url)
        wait(driver, "document.body.getAttribute('data-ready') === 'true'")
        yield server, driver, project / "statements" / "commented.yaml"
    finally:
        driver.quit()
        server.close()


def wait(driver, condition: str, seconds: float = 10) -> float:
    """Wait until a JavaScript condition holds in the page; return how long it took."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if driver.execute_script(f"return !!({condition})"):
            return time.monotonic() - started
        time.sleep(0.02)
    raise AssertionError(f"not within {seconds} s: {condition}")


def control(driver, path: str, action: str | None = None):
    from selenium.webdriver.common.by import By

    selector = f'[data-path="{path}"]' + (f'[data-action="{action}"]' if action else ":not(button)")
    return driver.find_element(By.CSS_SELECTOR, selector)


def to_the_end(driver, area) -> None:
    """Put the caret at the end of a text area's whole text (End alone goes to the end of the line it is on)."""
    driver.execute_script("arguments[0].focus(); arguments[0].setSelectionRange(arguments[0].value.length, arguments[0].value.length);", area)


def type_by_input_method(driver, element, text: str) -> None:
    """Type `text` as an input method does: a composition showing its first letters, then the committed text."""
    element.click()
    driver.execute_cdp_cmd("Input.imeSetComposition", {"text": text[:2], "selectionStart": 2, "selectionEnd": 2})
    driver.execute_cdp_cmd("Input.insertText", {"text": text})


def clear(driver, element) -> None:
    from selenium.webdriver.common.keys import Keys

    element.click()
    element.send_keys(Keys.CONTROL, "a")
    element.send_keys(Keys.DELETE)


def preview_title(driver) -> str:
    """Return the title shown in the preview frame (sandboxed: read through the driver, not the editor's script)."""
    from selenium.webdriver.common.by import By

    driver.switch_to.frame(driver.find_element(By.ID, "preview"))
    try:
        return driver.execute_script("var h = document.querySelector('h1'); return h ? h.textContent : '';") or ""
    finally:
        driver.switch_to.default_content()


# The preview's budget, 1 s from the pause in typing, is measured on a quiet machine by bench/edit.py (median 0.42 s,
# the 0.3 s pause included); here the suite's other worker shares the two cores, so a test allows twice that.
PREVIEW_SECONDS = 2.0


def test_edit_in_chromium_saves_exactly_the_changes(editing):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    server, driver, path = editing
    # a Thai title through composition events; the preview shows it within PREVIEW_SECONDS of the pause
    title = control(driver, "title")
    clear(driver, title)
    type_by_input_method(driver, title, THAI_TITLE)
    typed = time.monotonic()
    assert title.get_attribute("value") == THAI_TITLE
    while preview_title(driver).strip() != THAI_TITLE:
        assert time.monotonic() - typed < PREVIEW_SECONDS, f"preview still shows {preview_title(driver)!r}"
        time.sleep(0.02)
    shown_after = time.monotonic() - typed
    # a recommendation added (Burmese), moved up one place, and the third removed
    control(driver, "recommendations.items", "add").click()
    type_by_input_method(driver, control(driver, "recommendations.items.3.title"), "အကာအကွယ်")
    type_by_input_method(driver, control(driver, "recommendations.items.3.text"), BURMESE)
    assert control(driver, "recommendations.items.3.text").get_attribute("value") == BURMESE
    control(driver, "recommendations.items.3", "up").click()
    control(driver, "recommendations.items.3", "remove").click()
    # a citation from the picker, with a locator, at the end of the new recommendation
    area = control(driver, "recommendations.items.2.text")
    area.click()
    area.send_keys(Keys.END, " ")
    control(driver, "recommendations.items.2.text", "cite").click()
    driver.find_element(By.ID, "cite-search").send_keys("ILO 2017")
    driver.find_element(By.ID, "cite-locator").send_keys("p. 14")
    wait(driver, "document.querySelectorAll('#cite-results button').length === 1")
    driver.find_element(By.CSS_SELECTOR, "#cite-results button").click()
    assert control(driver, "recommendations.items.2.text").get_attribute("value") == BURMESE + " [@ilo2017sez, p. 14]"
    # an unknown key is flagged while typing
    area = control(driver, "recommendations.items.2.title")
    area.send_keys(" [@nobody")
    flagged = f"document.getElementById('{area.get_attribute('id')}-keys')"
    wait(driver, f"{flagged}.textContent === 'Unknown citation key: nobody' && !{flagged}.hidden")
    area.send_keys(Keys.BACKSPACE * 9)
    wait(driver, f"{flagged}.hidden")
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(SHOTS / "editor-thai-burmese.png"))
    # Ctrl+S saves
    control(driver, "title").send_keys(Keys.CONTROL, "s")
    wait(driver, "!window.mmnpressEditor.state.dirty")
    saved = path.read_text(encoding="utf-8")
    expected = COMMENTED.replace('title: "Women migrant workers in SEZs"', f'title: "{THAI_TITLE}"').replace(
        """    - title: Publish zone agreements
      text: Publish investment agreements.
""", f"""    - title: အကာအကွယ်
      text: {BURMESE} [@ilo2017sez, p. 14]
""")
    assert saved == expected
    assert [line for line in COMMENTED.splitlines() if "#" in line] == [line for line in saved.splitlines() if "#" in line]
    assert shown_after < PREVIEW_SECONDS


def test_a_change_on_disk_is_shown_and_not_overwritten(editing):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    server, driver, path = editing
    theirs = COMMENTED.replace("Publish investment agreements.", "Publish every investment agreement.")
    path.write_text(theirs, encoding="utf-8")
    control(driver, "title").send_keys(" (mine)")
    control(driver, "title").send_keys(Keys.CONTROL, "s")
    wait(driver, "document.getElementById('conflict-dialog').open")
    assert "+title: \"Women migrant workers in SEZs (mine)\"" in driver.find_element(By.ID, "conflict-difference").text
    assert path.read_text(encoding="utf-8") == theirs
    driver.find_element(By.ID, "conflict-reload").click()
    wait(driver, "!window.mmnpressEditor.state.dirty && document.querySelector('[data-path=\"recommendations.items.2.text\"]:not(button)')"
                 ".value === 'Publish every investment agreement.'")
    assert path.read_text(encoding="utf-8") == theirs


def test_unsaved_changes_survive_a_reload(editing):
    server, driver, path = editing
    control(driver, "subtitle").send_keys("Kept across a reload")
    wait(driver, "localStorage.length > 0")
    driver.execute_script("window.onbeforeunload = null; window.mmnpressEditor.state.dirty = false;")
    driver.refresh()
    wait(driver, "document.body.getAttribute('data-ready') === 'true'")
    assert control(driver, "subtitle").get_attribute("value") == "Kept across a reload"
    assert "subtitle" not in path.read_text(encoding="utf-8")


def test_fields_of_other_kinds_are_hidden_and_every_control_has_a_path(editing):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    server, driver, path = editing
    assert not driver.find_elements(By.CSS_SELECTOR, '[data-path="notes_to_editors"]')
    assert not driver.find_elements(By.CSS_SELECTOR, '[data-path="release"]')
    Select(control(driver, "kind")).select_by_value("press-release")
    wait(driver, "document.querySelector('[data-path=\"release\"]')")
    assert not driver.find_elements(By.CSS_SELECTOR, '[data-path="embargo"]')
    Select(control(driver, "release")).select_by_value("embargoed")
    wait(driver, "document.querySelector('[data-path=\"embargo\"]')")
    missing = driver.execute_script("return Array.from(document.querySelectorAll('#form input, #form textarea, #form select, #form button'))"
                                    ".filter(e => !e.getAttribute('data-path')).length")
    assert missing == 0


def test_axe_finds_no_violation_and_the_interface_speaks_thai(editing):
    server, driver, path = editing
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    found = driver.execute_async_script("var done = arguments[arguments.length - 1]; axe.run(document).then(r => done("
                                        "r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))));")
    assert found == []
    driver.execute_script("var s = document.getElementById('interface-language'); s.value = 'th'; s.dispatchEvent(new Event('change'));")
    wait(driver, "document.getElementById('save').textContent === 'บันทึก'")
    if SHOTS:
        driver.save_screenshot(str(SHOTS / "editor-thai-interface.png"))
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    found = driver.execute_async_script("var done = arguments[arguments.length - 1];"
                                        "axe.run(document).then(r => done(r.violations.map(v => v.id)));")
    assert found == []


def shown_bytes(driver, url: str) -> bytes:
    """Return what the editor answers at `url`, fetched by the page itself (its cookie, its origin)."""
    import base64

    encoded = driver.execute_async_script(
        "var done = arguments[arguments.length - 1]; fetch(arguments[0], {credentials: 'same-origin'})"
        ".then(r => r.arrayBuffer()).then(b => { var s = ''; new Uint8Array(b).forEach(c => s += String.fromCharCode(c)); done(btoa(s)); });", url)
    return base64.b64decode(encoded)


def test_the_pdf_preview_shows_the_statement_as_a_pdf(editing, tmp_path):
    import subprocess

    from selenium.webdriver.common.by import By

    server, driver, path = editing
    wait(driver, "document.getElementById('preview').getAttribute('src')")
    web = driver.find_element(By.ID, "preview").get_attribute("src")
    driver.find_element(By.ID, "show-pdf").click()
    assert driver.find_element(By.ID, "show-pdf").get_attribute("aria-pressed") == "true"
    wait(driver, f"document.getElementById('preview').src !== {web!r}", seconds=60)
    shown = driver.find_element(By.ID, "preview").get_attribute("src")
    pdf = shown_bytes(driver, shown)
    assert pdf.startswith(b"%PDF-")
    (tmp_path / "preview.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "preview.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert "Women migrant workers in SEZs" in " ".join(text.split())
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(SHOTS / "editor-pdf-preview.png"))


def test_a_translation_is_edited_beside_its_read_only_original(editing):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    server, driver, path = editing
    driver.find_element(By.ID, "translate").click()
    driver.find_element(By.ID, "translate-lang").send_keys("th")
    driver.find_element(By.ID, "translate-create").click()
    wait(driver, "window.mmnpressEditor.state.path === 'statements/commented.th.yaml' && !document.getElementById('original').hidden")
    translation = path.with_name("commented.th.yaml")
    original = driver.find_element(By.ID, "original-form")
    originals = original.find_elements(By.CSS_SELECTOR, "input, textarea, select")
    assert originals and all(e.get_attribute("readonly") or e.get_attribute("disabled") for e in originals)
    assert original.find_element(By.CSS_SELECTOR, '[data-path="title"]:not(button)').get_attribute("value") == "Women migrant workers in SEZs"
    assert not original.find_elements(By.CSS_SELECTOR, "button")
    kind = driver.find_element(By.CSS_SELECTOR, '#form [data-path="kind"]')
    assert Select(kind).first_selected_option.text == "Position paper (position-paper) (as the original)"
    assert not driver.find_elements(By.CSS_SELECTOR, '#form [data-path="release"]')  # fields of the inherited kind only
    top = "return Math.round(document.querySelector(arguments[0] + ' [data-path=\"' + arguments[1] + '\"]:not(button)').getBoundingClientRect().top)"
    levels = [(driver.execute_script(top, "#original-form", p), driver.execute_script(top, "#form", p)) for p in ("title", "date", "status")]
    assert all(left == right for left, right in levels), levels  # the two columns' fields stay level
    title = driver.find_element(By.CSS_SELECTOR, '#form [data-path="title"]:not(button)')
    assert title.get_attribute("value") == "" and title.get_attribute("placeholder") == "Women migrant workers in SEZs"
    type_by_input_method(driver, title, THAI_TITLE)
    wait(driver, "window.mmnpressEditor.state.doc.title && window.mmnpressEditor.state.dirty")
    typed = time.monotonic()
    while preview_title(driver).strip() != THAI_TITLE:  # the preview follows the typing
        assert time.monotonic() - typed < 30, f"preview still shows {preview_title(driver)!r}"
        time.sleep(0.05)
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(SHOTS / "editor-translation-thai.png"))
    title.send_keys(Keys.CONTROL, "s")
    wait(driver, "!window.mmnpressEditor.state.dirty")
    saved = translation.read_text(encoding="utf-8")
    assert "extends: commented.yaml" in saved or 'extends: "commented.yaml"' in saved
    assert f"title: {THAI_TITLE}" in saved or f'title: "{THAI_TITLE}"' in saved
    assert "kind" not in saved and "status" not in saved  # inherited and default choices are not written
    assert path.read_text(encoding="utf-8") == COMMENTED


def test_a_choice_absent_from_the_file_shows_its_default_and_is_written_only_when_chosen(editing):
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    server, driver, path = editing
    status = Select(control(driver, "status"))
    assert status.first_selected_option.get_attribute("value") == ""
    assert status.first_selected_option.text == "draft (default)"
    assert Select(control(driver, "quotes")).first_selected_option.text == "typographic (default)"
    control(driver, "subtitle").send_keys("A subtitle")
    control(driver, "subtitle").send_keys(Keys.CONTROL, "s")
    wait(driver, "!window.mmnpressEditor.state.dirty")
    assert "status" not in path.read_text(encoding="utf-8") and "subtitle: A subtitle" in path.read_text(encoding="utf-8")
    Select(control(driver, "status")).select_by_value("final")
    control(driver, "subtitle").send_keys(Keys.CONTROL, "s")
    wait(driver, "!window.mmnpressEditor.state.dirty")
    assert "\nstatus: final\n" in path.read_text(encoding="utf-8")


def test_a_note_is_added_used_saved_and_removed(editing):
    from selenium.webdriver.common.keys import Keys

    server, driver, path = editing
    label = control(driver, "notes", "label")
    label.send_keys("bad label")
    control(driver, "notes", "add").click()
    assert driver.find_elements("css selector", '[data-path^="notes."]') == []
    assert label.get_attribute("aria-invalid") == "true"
    clear(driver, label)
    label.send_keys("cost")
    control(driver, "notes", "add").click()
    wait(driver, "document.querySelector('[data-path=\"notes.cost\"]')")
    control(driver, "notes.cost").send_keys("Fees average USD 400.")
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(SHOTS / "editor-notes.png"))
    control(driver, "notes", "label").send_keys("cost", Keys.ENTER)  # a label already used is refused
    assert "already used" in driver.execute_script("return document.querySelector('[data-path=\"notes\"][data-action=\"label\"]')"
                                                   ".parentNode.querySelector('[role=alert]').textContent")
    paragraph = driver.find_element("css selector", 'textarea[data-path="body.1"]')
    paragraph.click()
    to_the_end(driver, paragraph)
    paragraph.send_keys(" [^cost]")
    paragraph.send_keys(Keys.CONTROL, "s")
    wait(driver, "!window.mmnpressEditor.state.dirty")
    saved = path.read_text(encoding="utf-8")
    assert saved == COMMENTED.replace("organisation: mmn\n", "organisation: mmn\nnotes:\n  cost: Fees average USD 400.\n").replace(
        "    [@mmn2019sez].", "    [@mmn2019sez]. [^cost]")
    # removed again, and the reference to it: the file is as it was
    control(driver, "notes.cost", "remove").click()
    paragraph = driver.find_element("css selector", 'textarea[data-path="body.1"]')
    paragraph.click()
    to_the_end(driver, paragraph)
    paragraph.send_keys(Keys.BACKSPACE * len(" [^cost]"))
    paragraph.send_keys(Keys.CONTROL, "s")
    wait(driver, "!window.mmnpressEditor.state.dirty")
    assert path.read_text(encoding="utf-8") == COMMENTED


def test_body_paragraphs_are_markdown_text_areas_with_the_toolbar(editing):
    # a paragraph of body is inline Markdown like every text field: a text area with emphasis, link, note and citation
    from selenium.webdriver.common.by import By

    server, driver, path = editing
    area = driver.find_element(By.CSS_SELECTOR, 'textarea[data-path="body.1"]')
    assert "[@mmn2019sez]" in area.get_attribute("value")
    assert control(driver, "body.1", "cite").is_displayed()
