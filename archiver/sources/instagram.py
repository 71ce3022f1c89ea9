"""Instagram "Download your information" (JSON), in its layouts:

- posts: ``content/posts_1.json`` (to 2021), ``your_instagram_activity/content/posts_1.json``
  (2022–2024), ``your_instagram_activity/media/posts_1.json`` (2025+);
- the account's comments: ``comments/post_comments.json`` as
  ``{"comments_media_comments": [{"title": owner, "string_list_data": [...]}]}`` (older), or
  ``.../comments/post_comments_N.json`` as a list of ``string_map_data`` objects (newer);
- followers: ``followers_and_following/followers_N.json`` or
  ``connections/followers_and_following/followers_N.json`` (bare list or
  ``{"relationships_followers": [...]}``).

Quirks handled here: Meta's mojibake; a single-media post has its caption and time on
``media[0]`` while a carousel has them at the top level; ``string_map_data`` keys follow the
language of the export (``Comment``/``Opmerking``/``Comentario``...): known translations are
mapped, and unknown ones fall back to the order Meta writes them in.

Synthesized ids: a post is ``dyi-media:<file name of its first media without extension>`` (the
name is Instagram's media id, stable across downloads), or ``dyi-post:<time>:<hash of caption>``
without media; a comment is ``dyi-comment:<time>:<hash of text>``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from archiver.sources.base import (
    AccountHint,
    ExportFiles,
    Follower,
    FollowerList,
    MediaRef,
    NormalizedItem,
    SourceRef,
)
from archiver.sources.common import (
    as_dict,
    as_list,
    as_str,
    find,
    load_json,
    media_kind,
    pointer,
    short_hash,
    unix_time,
)
from archiver.sources.meta import first_key, repair

POSTS = r"(?:your_instagram_activity/)?(?:content|media)/posts_\d+\.json"
COMMENTS = r"comments/(?:post_comments|reels_comments)(?:_\d+)?\.json"
FOLLOWERS = r"followers_and_following/followers(?:_\d+)?\.json"
PROFILE = (
    r"(?:account_information|personal_information)(?:/personal_information)?"
    r"/personal_information\.json"
)
ERAS = (
    ("your_instagram_activity/media/", "instagram-dyi-2025"),
    ("your_instagram_activity/content/", "instagram-dyi-2022"),
    ("content/", "instagram-dyi-2021"),
)

COMMENT_KEYS = ("Comment", "Opmerking", "Comentario", "Commentaire", "Kommentar", "Commento")
OWNER_KEYS = (
    "Media Owner",
    "Media-eigenaar",
    "Dueño del contenido",
    "Propietario del contenido",
    "Propriétaire du contenu",
    "Medieninhaber",
    "Proprietario del contenuto",
)
TIME_KEYS = ("Time", "Tijd", "Hora", "Heure", "Zeit", "Ora")
USERNAME_KEYS = ("Username", "Gebruikersnaam", "Nombre de usuario", "Nom d'utilisateur")
NAME_KEYS = ("Name", "Naam", "Nombre", "Nom")


class InstagramDyiReader:
    platform = "instagram"
    layout = "instagram-dyi"
    supported = (
        "Instagram Download your information (JSON): content/posts_1.json, "
        "your_instagram_activity/content/ or /media/posts_1.json, comments in both eras, "
        "followers"
    )

    @classmethod
    def detect(cls, files: ExportFiles) -> bool:
        for name in find(files.names(), POSTS):
            with files.open(name) as handle:
                head = handle.read(16 * 1024)
            if not head.lstrip().startswith((b"[", b"{")):
                return True  # damaged or re-encoded: the reader reports the file and position
            return b'"media"' in head or b'"uri"' in head or len(head.strip()) < 64
        return False

    def __init__(self, files: ExportFiles) -> None:
        self.files = files
        names = files.names()
        self.post_files = find(names, POSTS)
        first = self.post_files[0] if self.post_files else ""
        self.layout, self.root = "instagram-dyi-2021", ""
        for folder, layout in ERAS:
            if folder in first:
                self.layout, self.root = layout, first[: first.rfind(folder)]
                break
        rooted = [n for n in names if n.startswith(self.root)]
        self.comment_files = find(rooted, COMMENTS)
        self.follower_files = find(rooted, FOLLOWERS)
        self.profile_files = find(rooted, PROFILE)
        self._names = set(names)
        self._post_ids: dict[str, str] = {}

    def account(self) -> AccountHint:
        for path in self.profile_files:
            profile = repair(load_json(self.files, path))
            for user in map(as_dict, as_list(as_dict(profile).get("profile_user"))):
                fields = as_dict(user.get("string_map_data"))
                username = as_str(as_dict(first_key(fields, USERNAME_KEYS)).get("value"))
                name = as_str(as_dict(first_key(fields, NAME_KEYS)).get("value"))
                if username:
                    return AccountHint("instagram", handle=username, name=name)
        return AccountHint("instagram")

    # -- items ------------------------------------------------------------------------------
    def items(self) -> Iterator[NormalizedItem]:
        for path in self.post_files:
            rows = repair(load_json(self.files, path))
            if isinstance(rows, dict):
                rows = next((v for v in rows.values() if isinstance(v, list)), [])
            for index, post in enumerate(as_list(rows)):
                item = self._post(as_dict(post), SourceRef(path, pointer(index)))
                if item is not None:
                    yield item
        yield from self._comments()

    def _post(self, post: dict[str, Any], source: SourceRef) -> NormalizedItem | None:
        media = [as_dict(m) for m in as_list(post.get("media"))]
        first = media[0] if media else {}
        caption = as_str(post.get("title")) or as_str(first.get("title"))
        moment = post.get("creation_timestamp") or first.get("creation_timestamp")
        uris = [as_str(m.get("uri")) for m in media if m.get("uri")]
        if uris:
            stem = uris[0].rsplit("/", 1)[-1].rsplit(".", 1)[0]
            post_id = f"dyi-media:{stem}"
        elif caption or moment:
            post_id = f"dyi-post:{moment}:{short_hash(caption)}"
        else:
            return None
        for uri in uris:
            self._post_ids.setdefault(uri, post_id)
        data: dict[str, Any] = {}
        if len(media) > 1:
            data["carousel"] = len(media)
        sources = {as_str(as_dict(m.get("cross_post_source")).get("source_app")) for m in media}
        if sources - {""}:
            data["cross_post_source"] = sorted(sources - {""})
        return NormalizedItem(
            platform="instagram",
            platform_id=post_id,
            kind="post",
            source=source,
            text=caption,
            created_at=unix_time(moment),
            id_synthesized=True,
            data=data,
            media=tuple(MediaRef(uri=self._resolve(u), kind=media_kind(u)) for u in uris),
        )

    def _resolve(self, uri: str) -> str:
        if uri.startswith(("http://", "https://")) or self.root + uri in self._names:
            return uri if uri.startswith("http") else self.root + uri
        matches = [n for n in self._names if n.endswith("/" + uri)]
        return matches[0] if len(matches) == 1 else self.root + uri

    def _comments(self) -> Iterator[NormalizedItem]:
        for path in self.comment_files:
            raw = repair(load_json(self.files, path))
            if isinstance(raw, dict) and "comments_media_comments" in raw:
                yield from self._old_comments(path, as_list(raw["comments_media_comments"]))
                continue
            rows = (
                raw
                if isinstance(raw, list)
                else next((v for v in as_dict(raw).values() if isinstance(v, list)), [])
            )
            for index, row in enumerate(map(as_dict, rows)):
                fields = as_dict(row.get("string_map_data"))
                text, owner, moment = _comment_fields(fields)
                uris = [as_str(as_dict(m).get("uri")) for m in as_list(row.get("media_list_data"))]
                yield self._comment(path, pointer(index), text, owner, moment, uris)

    def _old_comments(self, path: str, rows: list[Any]) -> Iterator[NormalizedItem]:
        for index, row in enumerate(map(as_dict, rows)):
            owner = as_str(row.get("title"))
            for sub, entry in enumerate(map(as_dict, as_list(row.get("string_list_data")))):
                where = pointer("comments_media_comments", index, "string_list_data", sub)
                yield self._comment(
                    path, where, as_str(entry.get("value")), owner, entry.get("timestamp"), []
                )

    def _comment(
        self, path: str, where: str, text: str, owner: str, moment: Any, uris: list[str]
    ) -> NormalizedItem:
        data: dict[str, Any] = {"media_owner": owner} if owner else {}
        parent = None
        for uri in uris:
            data.setdefault("media_uri", uri)
            parent = parent or self._post_ids.get(self._resolve(uri))
        return NormalizedItem(
            platform="instagram",
            platform_id=f"dyi-comment:{moment}:{short_hash(text)}",
            kind="comment",
            source=SourceRef(path, where),
            text=text,
            created_at=unix_time(moment),
            parent_platform_id=parent,
            root_platform_id=parent,
            id_synthesized=True,
            data=data,
        )

    # -- followers --------------------------------------------------------------------------
    def followers(self) -> Iterator[FollowerList]:
        if not self.follower_files:
            return
        people: list[Follower] = []
        for path in self.follower_files:
            raw = repair(load_json(self.files, path))
            rows = (
                raw
                if isinstance(raw, list)
                else as_list(as_dict(raw).get("relationships_followers"))
            )
            for row in map(as_dict, rows):
                for entry in map(as_dict, as_list(row.get("string_list_data"))):
                    handle = as_str(entry.get("value")) or as_str(row.get("title"))
                    people.append(
                        Follower(
                            name="",
                            handle=handle,
                            followed_at=unix_time(entry.get("timestamp")),
                        )
                    )
        yield FollowerList(SourceRef(self.follower_files[0]), None, tuple(people))


def _comment_fields(fields: dict[str, Any]) -> tuple[str, str, Any]:
    """(text, media owner, time) from ``string_map_data``, whatever language its keys are in."""
    text = as_dict(first_key(fields, COMMENT_KEYS)).get("value")
    owner = as_dict(first_key(fields, OWNER_KEYS)).get("value")
    moment = as_dict(first_key(fields, TIME_KEYS)).get("timestamp")
    values = [as_dict(v) for v in fields.values()]
    if moment is None:
        moment = next((v["timestamp"] for v in values if v.get("timestamp")), None)
    if text is None or owner is None:
        texts = [as_str(v.get("value")) for v in values if "value" in v]
        text = text if text is not None else (texts[0] if texts else "")
        owner = owner if owner is not None else (texts[1] if len(texts) > 1 else "")
    return as_str(text), as_str(owner), moment
