"""What the offline writer invents: names, companions, places, looks, and "surprise me" choices."""

from __future__ import annotations

import random

from bookbug.providers.text.offline import english, lexicon
from bookbug.providers.text.offline.cast import Person
from bookbug.story.art_styles import PRESETS, ArtStyle
from bookbug.story.characters import Character, VisualDescription

HERO_NAMES = ("Mia", "Leo", "Ava", "Noah", "Zara", "Milo", "Isla", "Theo", "Nora", "Finn", "Luna", "Omar", "Ruby", "Kai")

COMPANION_NAMES: dict[str, tuple[str, ...]] = {
    "dragon": ("Ember", "Sparky", "Pip"), "unicorn": ("Moonbeam", "Twinkle"), "bear": ("Bramble", "Honey"),
    "bunny": ("Clover", "Thumper"), "rabbit": ("Clover", "Juniper"), "fox": ("Rusty", "Maple"), "owl": ("Hoot", "Sage"),
    "robot": ("Beep", "Cog", "Sprocket"), "dinosaur": ("Rex", "Pebble"), "mouse": ("Crumb", "Whisker"), "penguin": ("Waddle", "Pingu"),
    "monster": ("Fuzz", "Bloop"), "cat": ("Mittens", "Socks"), "dog": ("Biscuit", "Scout"), "puppy": ("Biscuit", "Scout"),
    "alien": ("Zib", "Nova"), "unicorn foal": ("Twinkle",), "teddy": ("Teddy",), "teddy bear": ("Teddy",),
    "whale": ("Splash", "Bubbles"), "owlet": ("Hoot",), "turtle": ("Shelly",), "octopus": ("Inky",),
}
GENERIC_COMPANION_NAMES = ("Pip", "Bobble", "Tumble", "Poppy", "Dot", "Button")

COMPANIONS = (
    ("dragon", "who is afraid of the dark"),
    ("robot", "who wants to learn to dance"),
    ("bear", "who has lost a favourite blanket"),
    ("penguin", "who wants to learn to fly"),
    ("fox", "who wants a friend"),
    ("owl", "who is afraid of heights"),
)

SETTINGS = ("an enchanted forest", "a cozy seaside town", "a village in the clouds", "grandma's big garden",
            "a snowy mountain valley", "a busy little harbour")
MORALS = ("trying again when something is hard", "being kind to someone new", "sharing what you love",
          "being brave even when you feel small", "listening to a friend")
TONES = ("cozy and gentle", "funny and silly", "magical and full of wonder", "a big, exciting adventure")
INTERESTS = (("dinosaurs",), ("trains", "building blocks"), ("animals",), ("space", "stars"), ("music", "dancing"),
             ("baking",), ("bugs", "puddles"))
STYLE_PICKS = ("watercolor", "gouache", "cut-paper", "crayon", "3d-animated", "claymation")

COLOURS = ("sunflower yellow", "tomato red", "sky blue", "grass green", "tangerine", "lilac", "teal", "cherry pink")
CLOTHES = ("a {c} raincoat and wellington boots", "dungarees with a {c} striped shirt", "a {c} hoodie and sneakers",
           "a {c} dress with deep pockets", "a {c} jumper and a woolly hat")


def hero(name: str, age: int | None, rng: random.Random, interests: list[str] | None = None,
         gender: str | None = None) -> Character:
    colour = rng.choice(COLOURS)
    props = [f"a little toy {interests[0].rstrip('s')}"] if interests else ["a small backpack"]
    about = f"a {age}-year-old" if age else "a"
    child = {"male": "boy", "female": "girl"}.get(gender or "", "child")
    return Character(
        name=name, role="hero",
        description=f"{name} is {about} curious, kind-hearted {child} and the hero of the story.",
        traits=["curious", "kind", "clever"],
        visual=VisualDescription(body=f"a cheerful {child} of about {age or 5} with rosy cheeks and a bright smile",
                                 colours=[colour, "denim blue"], clothing=rng.choice(CLOTHES).format(c=colour),
                                 props=props),
    )


def relative(person: Person, hero_name: str, rng: random.Random) -> Character:
    """Family and friends: "Grandma is Sam's grandma.", "Ava is Sam's big sister."."""
    kin = lexicon.KIN.get(person.kind)
    name = person.name or person.title
    modifier = " ".join(a for a in person.adjectives if a in lexicon.KIN_MODIFIERS)
    what = " ".join(filter(None, [modifier, person.kind if person.kind not in {"child", "friend"} else "friend"]))
    if person.kind == "sibling":
        what = "sibling"
    about = f" {person.about}" if person.about else ""
    look = kin.look if kin else "a cheerful child with a bright grin and scuffed sneakers"
    if person.age is not None and person.age <= 12 and kin is None:
        look = f"a cheerful child of about {person.age} with a bright grin"
    colour = rng.choice(COLOURS)
    return Character(
        name=name, role=person.role if person.role in {"family", "friend"} else "family",
        description=f"{name} is {english.possessive(hero_name)} {what}{about}."[:400],
        traits=["loving", "patient"] if kin and kin.titled else ["playful", "kind"],
        visual=VisualDescription(body=look, colours=[colour, "cream"], clothing=rng.choice(CLOTHES).format(c=colour)),
    )


def companion(species: str, name: str | None, adjectives: list[str] | tuple[str, ...], clause: str,
              rng: random.Random, role: str = "friend", owner: str | None = None) -> Character:
    name = name or rng.choice(COMPANION_NAMES.get(species, GENERIC_COMPANION_NAMES))
    body, colours = lexicon.SPECIES_LOOKS.get(species, (
        f"a small, soft, friendly {species} with big round eyes", [rng.choice(COLOURS), "cream"]))
    described = " ".join([*adjectives, species])
    traits = [a for a in adjectives if a not in {"little", "small", "big", "tiny", "broken", "lost", "old"}] or ["gentle"]
    whose = f"{english.possessive(owner)} {described}" if owner else english.with_article(described)
    return Character(
        name=name, role=role, description=f"{name} is {whose} {clause}".strip()[:399] + ".",
        traits=traits, visual=VisualDescription(body=body, colours=colours, clothing="", props=[]),
    )


def style(preset_id: str | None, words: str | None = None) -> ArtStyle:
    if preset_id:
        return PRESETS[preset_id]
    label = (words or "storybook illustration").strip()[:80] or "storybook illustration"
    return ArtStyle(preset=None, label=label, genre="picture-book illustration", medium=label,
                    technique=f"{label}, soft shapes, warm friendly character design", strength=0.7)


def title_for(hero_name: str, companion: Character | None, place: str, rng: random.Random) -> str:
    if companion is not None:
        options = [f"{hero_name} and {companion.name}"]
    else:
        options = [f"{hero_name}'s Big Day", f"{hero_name} and the Great Idea"]
    return rng.choice(options)
