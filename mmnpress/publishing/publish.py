"""Publish statements to a WordPress site, and report what was published: the steps of `mmnpress publish`.

Each statement is rendered here (its PDF, and Word file when the site wants
one), compared with what was last sent (`state`), and only what changed is
sent: nothing at all when nothing changed. Before anything is written the
user's rights, the post's edits in WordPress and the categories are checked,
so a refusal leaves the site as it was; a post that fails after its files
were uploaded has them removed again, and the recorded state changes only
after the post was saved.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from html import escape, unescape
from pathlib import Path

from ..build import Request, render_resolved, resolve_request
from ..document import Document, stem
from ..errors import MmnpressError, display_path
from ..i18n.names import language_name
from ..pipeline.resolve import Options
from ..pipeline.translations import source_hash
from ..render.html import describe
from .blocks import Extras, Link, post_content
from .config import Site
from .state import Media, Published, digest, read_state, state_path, stored_hash, write_state
from .wordpress import Client, PublishError, json_text

MEDIA_TYPES = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
LIVE = ("publish", "future")


@dataclass(frozen=True)
class Choices:
    """The command line's choices: publish (not draft), only say what would happen, overwrite edits, make categories."""

    publish: bool = False
    dry_run: bool = False
    force: bool = False
    create_categories: bool = False


@dataclass
class Statement:
    """A statement ready to publish: its render model, its files' bytes and where its project is."""

    path: Path
    root: Path
    document: Document
    files: dict[str, bytes]
    source: str

    @property
    def stem(self) -> str:
        """Return the stem of the statement's file name."""
        return stem(self.document)


@dataclass
class Plan:
    """What publishing one statement sends: the post's fields, the files to upload and the status."""

    fields: dict
    uploads: dict[str, bytes] = field(default_factory=dict)
    status: str | None = None  # None: leave the post's status as it is
    settled: str | None = None  # the status the post has once this is sent
    terms: tuple[str, ...] = ()  # the names of its category and tags

    def key(self) -> str:
        """Return the hash of what is sent: fields, status and the names of the category and tags."""
        return digest(json_text({**self.fields, "status": self.settled, "terms": self.terms}).encode("utf-8"))


def prepare(path: Path, site: Site) -> Statement:
    """Resolve and render a statement (with its language family) into what a post needs."""
    request = Request(path, tuple(site.files), None, Options(with_translations=True))
    resolved = resolve_request(request)
    document, files = render_resolved(request, resolved)
    return Statement(path, resolved.root, document, files, source_hash(resolved.statement.sources))


class Publisher:
    """Publish statements to one site and say what it did, one line per statement."""

    def __init__(self, site: Site, password: Callable[[], str], choices: Choices, say: Callable[[str], None],
                 timeout: float = 30.0):
        self.site, self.choices, self.say = site, choices, say
        self._password, self._timeout = password, timeout
        self._client: Client | None = None
        self._me: dict | None = None
        self._terms: dict[tuple[str, str], int] = {}
        self._site_lang: str | None = None

    def client(self) -> Client:
        """Return the site's client, made (and the password read) only when something must be sent or read."""
        if self._client is None:
            self._client = Client(self.site.url, self.site.user, self._password(), self._timeout)
        return self._client

    def close(self) -> None:
        """Close the connection to the site, if one was opened."""
        if self._client is not None:
            self._client.close()

    def publish_all(self, statements: list[Statement]) -> None:
        """Publish every statement, then once more those whose links to their translations changed meanwhile."""
        for statement in statements:
            self.publish(statement)
        if len(statements) > 1 and not self.choices.dry_run:
            for statement in statements:
                self.publish(statement, quiet=True)

    def publish(self, statement: Statement, quiet: bool = False) -> None:
        """Publish one statement: upload its changed files, create or update its post, record it."""
        shown = display_path(statement.path)
        document = statement.document
        if document.draft and self.choices.publish:
            raise MmnpressError(f"{shown}: is a draft (status: draft); mark it final before publishing it with --publish")
        state = read_state(statement.root, statement.stem, self.site.name)
        uploads = {fmt: data for fmt, data in statement.files.items()
                   if state is None or fmt not in state.media or state.media[fmt].hash != digest(data)}
        plan = self.plan(statement, state, uploads)
        if state is not None and state.post and not uploads and state.sent == plan.key() and not self.choices.force:
            if not quiet:
                self.say(f"{shown}: up to date on {self.site.name} (post {state.post}); nothing sent")
            return
        self.check_rights(plan, statement)
        post = self.current_post(statement, state)
        terms = self.terms(document.kind, statement)
        if self.choices.dry_run:
            self.say(f"{shown}: would " + describe_plan(plan, post, terms, self.site))
            return
        self.send(statement, state, plan, post, terms)

    def plan(self, statement: Statement, state: Published | None, uploads: dict[str, bytes]) -> Plan:
        """Return the post's fields and status; files not uploaded again keep their recorded address."""
        document = statement.document
        media = {fmt: Media(0, f"<{fmt}>", "") for fmt in uploads}
        status = self.status_wanted(document, state)
        settled = status or (state.status if state else None)
        terms = (self.site.categories.get(document.kind, ""), *self.site.tags)
        return Plan(self.fields(statement, state, status, {**(state.media if state else {}), **media}), uploads, status, settled, terms)

    def status_wanted(self, document: Document, state: Published | None) -> str | None:
        """Return the status to send: publish or future with --publish, draft for a new post, else the post's own."""
        if self.choices.publish:
            return "future" if embargo_holds(document) else "publish"
        return "draft" if state is None or not state.post else None

    def versions(self, statement: Statement, status: str | None) -> tuple[Link, ...]:
        """Return links to the statement's other language versions published on this site (only live ones from a live post)."""
        live = status in LIVE
        links = []
        for version in statement.document.versions:
            if version.stem == statement.stem:
                continue
            other = read_state(statement.root, version.stem, self.site.name)
            if other and other.link and (other.status in LIVE or not live):
                links.append(Link(language_name(version.lang, version.lang), other.link, version.lang))
        return tuple(links)

    def site_language(self, state: Published | None) -> str:
        """Return the site's language ("en_US"): as recorded, else from its settings; "" when they cannot be read."""
        if state is not None and state.site_lang:
            return state.site_lang
        if self._site_lang is None:
            try:
                self._site_lang = str(self.client().get("/wp/v2/settings").get("language") or "")
            except PublishError as error:
                if error.status == 0:
                    raise
                self._site_lang = ""
        return self._site_lang

    def check_rights(self, plan: Plan, statement: Statement) -> None:
        """Refuse before anything is sent when the user lacks a right this publish needs."""
        me = self.me()
        rights = me.get("capabilities") or {}
        role = ", ".join(me.get("roles") or []) or "none"
        needs = [("edit_posts", "write posts")]
        if plan.uploads:
            needs.append(("upload_files", "upload files"))
        if plan.status in LIVE:
            needs.append(("publish_posts", "publish posts"))
        for right, doing in needs:
            if not rights.get(right):
                raise PublishError(f"{display_path(statement.path)}: user '{self.site.user}' (WordPress role: {role}) may not {doing} "
                                   f"on {self.site.url}; nothing was sent")

    def me(self) -> dict:
        """Return the logged-in user with its roles and capabilities."""
        if self._me is None:
            self._me = self.client().get("/wp/v2/users/me", context="edit")
        return self._me

    def current_post(self, statement: Statement, state: Published | None) -> dict | None:
        """Return the recorded post as WordPress holds it now; refuse when it was edited there since it was published."""
        if state is None or not state.post:
            return None
        try:
            post = self.client().get(f"/wp/v2/posts/{state.post}", context="edit")
        except PublishError as error:
            if error.status in (404, 410):
                self.say(f"{display_path(statement.path)}: post {state.post} is no longer on {self.site.name}; publishing it as a new post")
                return None
            raise
        where = display_path(statement.path)
        if post.get("status") == "trash":
            raise MmnpressError(f"{where}: post {state.post} on {self.site.url} is in WordPress's trash; restore it there, "
                                f"or remove {display_path(state_path(statement.root, statement.stem, self.site.name))} to publish a new post")
        if was_edited(post, state) and not self.choices.force:
            raise MmnpressError(f"{where}: post {state.post} on {self.site.url} was edited in WordPress at {post.get('modified_gmt')} UTC, "
                                "after it was last published from here; bring the edits into the statement, or run again with --force "
                                "to overwrite them (WordPress keeps the edited text as a revision)")
        return post

    def terms(self, kind: str, statement: Statement) -> dict[str, list]:
        """Return the ids (or, for a dry run, names) of the post's category and tags; refuse a missing category."""
        categories = []
        name = self.site.categories.get(kind)
        if name:
            found = self.term("categories", name)
            if found is None and not self.choices.create_categories:
                raise MmnpressError(f"{display_path(statement.path)}: the category '{name}' (publish: wordpress: categories: {kind}, "
                                    f"{self.site.where}) does not exist on {self.site.url}; create it there, or run with --create-categories")
            categories.append(found if found is not None else self.create_term("categories", name))
        tags = [self.term("tags", tag) for tag in self.site.tags]
        tags = [tag if tag is not None else self.create_term("tags", name) for tag, name in zip(tags, self.site.tags, strict=True)]
        return {"categories": categories, "tags": tags}

    def term(self, taxonomy: str, name: str) -> int | None:
        """Return the id of the category or tag called `name`, or None."""
        if (taxonomy, name) not in self._terms:
            found = self.client().get(f"/wp/v2/{taxonomy}", search=name, per_page=100, context="view")
            match = next((t["id"] for t in found if unescape(t.get("name", "")).casefold() == name.casefold()), None)
            if match is None:
                return None
            self._terms[taxonomy, name] = match
        return self._terms[taxonomy, name]

    def create_term(self, taxonomy: str, name: str) -> int | str:
        """Create a category or tag and return its id (a dry run returns a note of it instead)."""
        if self.choices.dry_run:
            return f"{name} (new)"
        made = self.client().post(f"/wp/v2/{taxonomy}", {"name": name})
        self._terms[taxonomy, name] = made["id"]
        self.say(f"created {'category' if taxonomy == 'categories' else 'tag'} '{name}' on {self.site.name}")
        return made["id"]

    def send(self, statement: Statement, state: Published | None, plan: Plan, post: dict | None, terms: dict) -> None:
        """Upload the changed files, save the post, then record it; a failed save removes what was uploaded."""
        client = self.client()
        media = dict(state.media) if state else {}
        uploaded: list[int] = []
        try:
            for fmt, data in plan.uploads.items():
                answer = client.upload(f"{statement.stem}.{fmt}", data, MEDIA_TYPES[fmt])
                uploaded.append(answer["id"])
                media[fmt] = Media(answer["id"], answer["source_url"], digest(data))
            fields = self.fields(statement, state, plan.status, media)
            fields = {**fields, **terms, **({"status": plan.status} if plan.status else {})}
            route = f"/wp/v2/posts/{post['id']}" if post else "/wp/v2/posts"
            saved = client.post(route, fields)
        except BaseException as error:
            note = self.remove_media(uploaded)
            if isinstance(error, MmnpressError):
                raise PublishError(f"{display_path(statement.path)}: {error}; nothing was published{note}") from None
            raise
        self.remove_replaced(state, media)
        sent = replace(plan, fields=self.fields(statement, state, plan.status, media), settled=saved.get("status"))
        record = Published(self.site.name, self.site.url, saved["id"], saved.get("link", ""), saved.get("status", ""),
                           saved.get("date_gmt", ""), saved.get("modified_gmt", ""), sent.key(), stored_hash(saved),
                           statement.source, self.site_language(state), media)
        write_state(statement.root, statement.stem, record)
        files = f"; uploaded {', '.join(f'{statement.stem}.{f}' for f in plan.uploads)}" if plan.uploads else ""
        self.say(f"{display_path(statement.path)}: {'updated' if post else 'created'} {saved.get('status')} post {saved['id']} "
                 f"on {self.site.name}: {saved.get('link', '')}{files}")

    def fields(self, statement: Statement, state: Published | None, status: str | None, media: dict[str, Media]) -> dict:
        """Return the post's fields, the download links pointing at the files' addresses in the media library."""
        document = statement.document
        downloads = tuple(Link(document.labels[f"download_{fmt}"], media[fmt].url) for fmt in statement.files)
        live = (status or (state.status if state else "")) or ""
        return post_fields(document, Extras(downloads, self.versions(statement, live), self.site_language(state)))

    def remove_media(self, ids: list[int]) -> str:
        """Delete attachments uploaded by a publish that failed; return a note of any that could not be removed."""
        left = []
        for media_id in ids:
            try:
                self.client().delete(f"/wp/v2/media/{media_id}", force=True)
            except MmnpressError:
                left.append(str(media_id))
        return f" (could not remove the uploaded media {', '.join(left)})" if left else (" (the files uploaded for it were removed)" if ids else "")

    def remove_replaced(self, state: Published | None, media: dict[str, Media]) -> None:
        """Delete the earlier upload of each file that was uploaded again (the post now links to the new one)."""
        for fmt, old in (state.media.items() if state else ()):
            if fmt in media and media[fmt].id != old.id:
                try:
                    self.client().delete(f"/wp/v2/media/{old.id}", force=True)
                except MmnpressError as error:
                    self.say(f"could not remove the replaced media {old.id}: {error}")


def post_fields(document: Document, extras: Extras) -> dict:
    """Return the fields of the post: title, content, excerpt, slug, language-free date and, for an embargo, its end."""
    fields = {
        "title": escape(document.title_plain, quote=False),
        "content": post_content(document, extras),
        "excerpt": escape(describe(document), quote=False),
        "slug": slug(document),
    }
    if document.embargo_iso:
        fields["date_gmt"] = utc(document.embargo_iso)
    else:
        fields["date"] = f"{document.date_iso}T00:00:00"
    return fields


def slug(document: Document) -> str:
    """Return the post's slug: the statement's file name, in the letters WordPress keeps."""
    return re.sub(r"[^a-z0-9]+", "-", stem(document).lower()).strip("-")


def utc(moment: str) -> str:
    """Return an ISO 8601 moment with offset as WordPress's `date_gmt` (UTC, no offset)."""
    return dt.datetime.fromisoformat(moment).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")


def embargo_holds(document: Document, now: dt.datetime | None = None) -> bool:
    """Tell whether the statement's embargo has not ended yet."""
    return bool(document.embargo_iso) and (now or dt.datetime.now(dt.UTC)) < dt.datetime.fromisoformat(document.embargo_iso)


def was_edited(post: dict, state: Published) -> bool:
    """Tell whether the post was changed in WordPress since it was published from here."""
    return post.get("modified_gmt") != state.modified_gmt and stored_hash(post) != state.content


def describe_plan(plan: Plan, post: dict | None, terms: dict, site: Site) -> str:
    """Return what a dry run would do, as the end of one line."""
    actions = [f"upload {fmt.upper()} ({len(data):,} bytes)" for fmt, data in plan.uploads.items()]
    status = plan.status or (post or {}).get("status", "")
    actions.append(f"update post {post['id']}" if post else f"create a {status} post")
    actions.append(f"'{plan.fields['title'][:60]}' ({len(plan.fields['content']):,} characters of blocks, slug {plan.fields['slug']}, "
                   f"category {terms['categories'] or 'none'}, tags {terms['tags'] or 'none'}) on {site.name} ({site.url})")
    return ", ".join(actions[:-1]) + " " + actions[-1]
