"""Art styles by the names people use: a preset when one is close, otherwise a described style.

"watercolour", "anime", "stop motion" pick a preset; "comic book", "pixel art", "pencil
sketch", "oil painting" have no preset near enough, so they become a style of their own
with a medium and technique an illustrator can follow. Words that also mean other things
("comic books", "clay", "miniature", "3D") count only next to a cue such as "style",
"pictures" or "drawn", or when the question asked was the art style.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bookbug.story.art_styles import PRESETS, ArtStyle


@dataclass(frozen=True)
class _Custom:
    label: str
    genre: str
    medium: str
    technique: str
    strength: float = 0.8


_CUSTOM: dict[str, _Custom] = {
    "comic": _Custom("Comic book", "bright comic-book illustration", "inked line art with flat printed colour",
                     "bold black outlines, halftone dot shading, dynamic panels-style framing, no speech bubbles"),
    "pixel": _Custom("Pixel art", "retro video-game pixel art", "16-bit pixel art",
                     "crisp square pixels, limited cheerful palette, clean readable sprites"),
    "pencil": _Custom("Pencil sketch", "sketchbook illustration", "graphite pencil on cream paper",
                      "loose confident pencil lines, soft hatching, gentle smudged shading", 0.75),
    "coloured pencil": _Custom("Coloured pencil", "hand-drawn picture-book illustration", "coloured pencils on textured paper",
                               "soft layered pencil strokes, visible paper tooth, gentle colour blending", 0.75),
    "cartoon": _Custom("Cartoon", "classic 2D cartoon", "clean digital 2D animation art",
                       "smooth bold outlines, bright flat colours, bouncy expressive poses"),
    "oil": _Custom("Oil painting", "painterly storybook illustration", "oil paint on canvas",
                   "rich visible brushstrokes, warm glazes, soft edges"),
    "pastel": _Custom("Soft pastel", "dreamy picture-book illustration", "chalk pastels on toned paper",
                      "powdery soft blends, gentle glowing colour, velvety texture", 0.75),
    "ink": _Custom("Ink and wash", "classic storybook illustration", "pen and ink with light colour washes",
                   "fine scratchy ink lines, loose transparent washes, lots of white space", 0.75),
    "woodcut": _Custom("Woodcut print", "folk-art picture book", "linocut and woodblock print",
                       "bold carved lines, two or three flat ink colours, slightly uneven printed texture", 0.85),
    "felt": _Custom("Needle felt", "handmade craft illustration", "needle-felted wool figures",
                    "fuzzy wool texture, soft rounded shapes, cosy handmade details", 0.85),
    "bricks": _Custom("Toy bricks", "toy brick diorama", "little plastic building bricks and minifigure-like figures",
                      "glossy bricks, studs visible, playful toy-set scenery", 0.85),
    "realistic": _Custom("Realistic painting", "realistic storybook painting", "detailed digital painting",
                         "natural proportions, soft realistic light, gentle detail, never photographic faces", 0.7),
    "vintage": _Custom("Vintage storybook", "mid-century golden book illustration", "gouache and ink, printed look",
                       "limited retro palette, slight print grain, charming simple shapes", 0.8),
    "storybook": _Custom("Classic storybook", "classic picture-book illustration", "watercolor and pencil",
                         "soft washes, delicate pencil lines, warm nostalgic colour", 0.75),
    "paper craft": _Custom("Papercraft", "3D paper sculpture illustration", "folded and layered paper models",
                           "crisp folds, soft shadows, paper textures", 0.85),
    "chalk": _Custom("Chalk drawing", "chalkboard illustration", "coloured chalk on a dark board",
                     "dusty chalk strokes, bright colours on dark, playful doodles", 0.8),
    "sticker": _Custom("Sticker art", "flat vector sticker illustration", "flat vector shapes with white outlines",
                       "bold simple shapes, thick white sticker borders, glossy highlights", 0.8),
}

# (words, preset id or custom key, needs a cue). Longer phrases are tried first.
_NAMES: tuple[tuple[tuple[str, ...], str, bool], ...] = (
    (("watercolor", "watercolour", "water colour", "water color", "watercolors", "watercolours", "aquarelle"),
     "watercolor", False),
    (("gouache",), "gouache", False),
    (("cut paper", "cut-paper", "paper cut", "papercut", "paper cutout", "paper collage", "collage", "torn paper",
      "eric carle"), "cut-paper", False),
    (("claymation", "plasticine", "stop motion", "stop-motion", "aardman", "clay animation", "clay models"),
     "claymation", False),
    (("clay",), "claymation", True),
    (("chibi", "kawaii"), "chibi", False),
    (("anime", "manga", "japanese cartoon"), "chibi", False),
    (("crayon", "crayons", "wax crayon", "kid's drawing", "child's drawing", "kids drawing", "childlike drawing"),
     "crayon", False),
    (("miniature diorama", "diorama", "tilt-shift", "tilt shift"), "miniature-diorama", False),
    (("miniature",), "miniature-diorama", True),
    (("3d animated", "3d-animated", "3d animation", "pixar", "cgi", "3d render", "dreamworks"), "3d-animated", False),
    (("3d", "animated movie", "animated film", "disney"), "3d-animated", True),
    (("comic book", "comic-book", "comic strip", "graphic novel", "comics", "comic", "superhero comic"), "comic", True),
    (("pixel art", "pixel-art", "pixelated", "8-bit", "8 bit", "16-bit", "16 bit", "minecraft", "retro game"),
     "pixel", False),
    (("pixel",), "pixel", True),
    (("coloured pencil", "colored pencil", "coloured pencils", "colored pencils", "colouring pencils",
      "coloring pencils"), "coloured pencil", False),
    (("pencil sketch", "pencil drawing", "pencil drawings", "pencil sketches", "graphite"), "pencil", False),
    (("pencil", "sketch", "sketches", "sketchy", "hand drawn", "hand-drawn"), "pencil", True),
    (("cartoon", "cartoony", "cartoonish", "cartoons", "saturday morning cartoon"), "cartoon", True),
    (("oil painting", "oil paint", "oils", "oil"), "oil", True),
    (("pastel", "pastels", "chalk pastel"), "pastel", True),
    (("ink and wash", "pen and ink", "ink drawing", "line drawing", "ink"), "ink", True),
    (("woodcut", "linocut", "lino print", "block print", "printmaking"), "woodcut", False),
    (("needle felt", "needle felted", "felted", "felt"), "felt", True),
    (("lego", "toy bricks", "building bricks", "duplo"), "bricks", True),
    (("realistic", "photorealistic", "lifelike", "real life", "realism"), "realistic", True),
    (("vintage", "retro", "old-fashioned", "golden book", "classic 1950s"), "vintage", True),
    (("classic storybook", "storybook", "traditional", "beatrix potter"), "storybook", True),
    (("papercraft", "paper craft", "origami"), "paper craft", True),
    (("chalk", "chalkboard"), "chalk", True),
    (("sticker", "stickers", "flat vector", "vector"), "sticker", True),
)
STYLE_WORDS = tuple(w for words, _, _ in _NAMES for w in words)

_CUE = re.compile(r"\b(?:style|styled|art|artwork|pictures?|illustrat\w*|drawn|drawings?|draw|painted|paintings?|"
                  r"look(?:s|ing)?(?: like)?|images?|visuals?|aesthetic|vibe|feel of|like a|like an|inspired)\b", re.I)
_INTEREST = re.compile(r"\b(?:loves?|likes?|into|obsessed with|fan of|crazy about|reads?|reading|watch(?:es|ing)?|"
                       r"plays?|playing|collects?|enjoys?)\s+(?:\w+\s+){0,3}$", re.I)


def read(text: str, *, asked: bool = False) -> ArtStyle | None:
    """The art style a message names, or None."""
    lowered = text.lower()
    candidates = sorted(((w, key, cued) for words, key, cued in _NAMES for w in words), key=lambda c: -len(c[0]))
    taken: list[tuple[int, int]] = []
    best: tuple[int, ArtStyle] | None = None
    for word, key, needs_cue in candidates:
        for match in re.finditer(r"(?<![a-z0-9])" + re.escape(word) + r"(?![a-z])", lowered):
            if any(a <= match.start() < b for a, b in taken):
                continue  # part of a longer style name already read
            taken.append((match.start(), match.end()))
            clause = _clause(lowered, match.start(), match.end())
            before = lowered[max(0, match.start() - 40):match.start()]
            if _INTEREST.search(before) and not _CUE.search(clause):
                continue  # "he loves comic books": an interest, not the pictures
            if needs_cue and not asked and not _CUE.search(clause):
                continue
            if best is None or match.start() < best[0]:
                best = (match.start(), style_for(key))
    return best[1] if best else None


def style_for(key: str) -> ArtStyle:
    if key in PRESETS:
        return PRESETS[key]
    custom = _CUSTOM[key]
    return ArtStyle(preset=None, label=custom.label, genre=custom.genre, medium=custom.medium,
                    technique=custom.technique, strength=custom.strength)


def described(words: str) -> ArtStyle:
    """A style from the user's own words, when they name none the writer knows ("dreamy and soft")."""
    label = " ".join(words.split())[:80] or "storybook illustration"
    return ArtStyle(preset=None, label=label[:1].upper() + label[1:], genre="picture-book illustration", medium=label,
                    technique=f"{label}, soft shapes, warm friendly character design", strength=0.7)


def _clause(text: str, start: int, end: int) -> str:
    left = max(text.rfind(c, 0, start) for c in ".!?;\n")
    rights = [i for i in (text.find(c, end) for c in ".!?;\n") if i != -1]
    return text[left + 1:min(rights) if rights else len(text)]
