"""A character's fixed look, derived only from its name and visual description.

Nothing here depends on the page, so a character is drawn identically on every page and on
its character sheet: same body shape, same colours, same hair, same hat.
"""

from __future__ import annotations

from dataclasses import dataclass

from bookbug.providers.images.models import CharacterLook
from bookbug.providers.images.offline.colours import HAIR_COLOURS, RGB, SKIN_TONES, hue_colour, parse_colour, seeded

# Body-shape words → the drawer that knows that shape. First match wins, so more specific
# words come first.
BODY_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("dragon", ("dragon", "dinosaur", "dino", "lizard", "wyvern")),
    ("robot", ("robot", "android", "machine", "bot")),
    ("rabbit", ("rabbit", "bunny", "hare")),
    ("bird", ("bird", "owl", "chick", "duck", "penguin", "parrot", "robin", "hen", "chicken")),
    ("bear", ("bear", "teddy", "panda")),
    ("mouse", ("mouse", "mice", "hamster", "rat")),
    ("fox", ("fox", "wolf")),
    ("dog", ("dog", "puppy", "pup")),
    ("cat", ("cat", "kitten", "kitty", "tiger", "lion")),
    ("monster", ("monster", "creature", "alien", "blob", "ghost")),
    ("child", ("child", "kid", "boy", "girl", "person", "human", "baby", "toddler", "grandma", "grandpa",
               "mum", "mom", "dad", "father", "mother", "king", "queen", "prince", "princess", "wizard",
               "witch", "teacher", "friend", "pirate", "knight", "man", "woman", "lady", "granny")),
]
ANIMAL_BASE: dict[str, RGB] = {
    "cat": (240, 160, 80), "dog": (196, 150, 100), "fox": (232, 120, 50), "bear": (150, 100, 64),
    "rabbit": (236, 232, 226), "mouse": (180, 176, 180), "bird": (90, 160, 220), "dragon": (90, 180, 110),
    "robot": (170, 186, 200), "monster": (150, 110, 210),
}


@dataclass(frozen=True)
class Look:
    name: str
    body: str  # one of the BODY_WORDS keys
    main: RGB  # shirt / fur / scales
    second: RGB  # trousers / belly / wings
    accent: RGB  # hat, scarf, eyes glow...
    skin: RGB
    hair: RGB
    hair_style: str  # short, long, curly, bun, bald
    hat: str  # "", "crown", "cap", "witch", "bow"
    wears: str  # "", "dress", "cape", "scarf", "overalls"
    glasses: bool
    props: tuple[str, ...]
    size: float  # relative height: grown-ups and dragons are bigger


def _body_kind(words: str) -> str:
    for kind, keys in BODY_WORDS:
        if any(key in words for key in keys):
            return kind
    return "monster" if words.strip() else "child"


def _colour_words(text: str) -> list[RGB]:
    found: list[RGB] = []
    for token in text.replace(",", " ").replace("-", " ").split():
        if token.startswith("#") or token.isalpha():
            rgb = parse_colour(token)
            if rgb and token not in ("tan",):  # 'tan' is usually skin, not clothing
                found.append(rgb)
    return found


def look_for(character: CharacterLook) -> Look:
    description = f"{character.description} {character.clothing}".lower()
    body_words = f"{character.body} {character.description}".lower()
    body = _body_kind(character.body.lower()) if character.body.strip() else _body_kind(body_words)
    rng = seeded("look", character.name.lower(), body, character.description.lower(), ",".join(character.colours))

    stated = [rgb for rgb in (parse_colour(word) for word in character.colours) if rgb]
    clothes = _colour_words(character.clothing.lower())
    base = ANIMAL_BASE.get(body)
    if body == "child":
        stated += clothes  # a child's clothes are its main colours
        clothes = []
    main = stated[0] if stated else (base or hue_colour(rng, 0.6, 0.88))
    second = stated[1] if len(stated) > 1 else hue_colour(rng, 0.45, 0.7)
    # an animal's clothes (a red scarf) colour its accessories, not its fur
    accent = clothes[0] if clothes else stated[2] if len(stated) > 2 else hue_colour(rng, 0.75, 0.95)

    skin = SKIN_TONES[rng.randrange(len(SKIN_TONES))]
    for word, index in (("pale", 0), ("fair", 0), ("freckle", 1), ("olive", 2), ("tan", 3), ("brown skin", 4), ("dark skin", 5)):
        if word in description:
            skin = SKIN_TONES[index]
    hair = list(HAIR_COLOURS.values())[rng.randrange(len(HAIR_COLOURS) - 3)]
    for word, colour in HAIR_COLOURS.items():
        if f"{word} hair" in description or f"{word}-haired" in description:
            hair = colour
    hair_style = rng.choice(["short", "long", "curly", "bun", "short"])
    for word in ("curly", "long", "bun", "bald", "short", "pigtail"):
        if word in description:
            hair_style = "long" if word == "pigtail" else word

    hat = ""
    for word, kind in (("crown", "crown"), ("tiara", "crown"), ("cap", "cap"), ("witch", "witch"),
                       ("wizard", "witch"), ("bow", "bow"), ("hat", "cap")):
        if word in description or word in character.body.lower():
            hat = kind
            break
    wears = ""
    for word in ("dress", "cape", "scarf", "overalls"):
        if word in description:
            wears = word
            break
    size = 1.0
    if any(word in body_words for word in ("grandma", "grandpa", "mum", "mom", "dad", "king", "queen", "teacher",
                                            "man", "woman", "granny", "wizard")):
        size = 1.25
    if body == "dragon":
        size = 1.3
    if body in ("mouse", "bird"):
        size = 0.6
    if any(word in body_words for word in ("tiny", "little", "small", "baby")):
        size *= 0.8
    if any(word in body_words for word in ("big", "giant", "huge", "tall")):
        size *= 1.2
    return Look(
        name=character.name, body=body, main=main, second=second, accent=accent, skin=skin, hair=hair,
        hair_style=hair_style, hat=hat, wears=wears, glasses="glasses" in description or "spectacles" in description,
        props=tuple(prop.lower() for prop in character.props), size=size,
    )
