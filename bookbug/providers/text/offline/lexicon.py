"""The words the offline writer understands: who people are to the child, creatures, toys,
pets, and the verbs story ideas are made of.

Kept apart from the readers that use them, so a word added here is understood everywhere
(and corrected when misspelled: `spelling` matches typos against these lists).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kin:
    """Someone the child knows, by what the family calls them."""

    title: str  # how the book calls them when no name is given: "Grandma"
    role: str  # the Character role: family, friend, pet
    gender: str | None  # "female", "male" or None
    titled: bool  # the title stays before a given name: "Grandpa Joe", "Auntie Rose"
    look: str  # a drawable body for the illustrator


_GRANDMA = "a cheerful grandmother with silver hair in a bun, round glasses and a warm smile"
_GRANDPA = "a kind grandfather with white hair, a neat grey beard and twinkly eyes"
_MUM = "a warm, smiling mother with shoulder-length hair"
_DAD = "a friendly, tall father with short hair and a big laugh"

KIN: dict[str, Kin] = {
    **{w: Kin("Grandma", "family", "female", True, _GRANDMA) for w in (
        "grandma", "granny", "gran", "nana", "nanna", "nan", "grandmother", "grammy", "gigi", "mimi", "oma",
        "abuela", "grandmama", "gramma", "nonna", "bubbe", "babcia", "yaya", "lola")},
    **{w: Kin("Grandpa", "family", "male", True, _GRANDPA) for w in (
        "grandpa", "grandad", "granddad", "granddaddy", "grandfather", "gramps", "grampa", "grandpapa", "opa",
        "abuelo", "poppa", "pop-pop", "nonno", "zaide", "dziadek", "papou", "lolo", "grandpop")},
    **{w: Kin("Mum", "family", "female", False, _MUM) for w in ("mum", "mummy", "mother", "mam", "mammy")},
    **{w: Kin("Mom", "family", "female", False, _MUM) for w in ("mom", "mommy", "momma", "mama")},
    **{w: Kin("Dad", "family", "male", False, _DAD) for w in ("dad", "daddy", "father", "dada", "papa")},
    **{w: Kin("Auntie", "family", "female", True, "a fun-loving aunt with curly hair and bright earrings")
       for w in ("auntie", "aunty", "aunt", "tia")},
    **{w: Kin("Uncle", "family", "male", True, "a jolly uncle with a bushy beard and a checked shirt")
       for w in ("uncle", "tio")},
    "sister": Kin("Sister", "family", "female", False, "a lively girl, a little older, with pigtails and a grin"),
    "brother": Kin("Brother", "family", "male", False, "a playful boy with messy hair and a gap-toothed grin"),
    "sibling": Kin("Sibling", "family", None, False, "a playful child with a bright grin"),
    "cousin": Kin("Cousin", "family", None, False, "a cheerful child with a bright grin and scuffed sneakers"),
    "friend": Kin("Friend", "friend", None, False, "a cheerful child with a bright grin and scuffed sneakers"),
    "bestie": Kin("Friend", "friend", None, False, "a cheerful child with a bright grin and scuffed sneakers"),
    "neighbour": Kin("Neighbour", "friend", None, False, "a friendly neighbour with a sunhat and gardening gloves"),
    "neighbor": Kin("Neighbor", "friend", None, False, "a friendly neighbor with a sunhat and gardening gloves"),
    "teacher": Kin("Teacher", "friend", None, True, "a kind teacher with glasses and a cardigan covered in chalk dust"),
    "babysitter": Kin("Babysitter", "friend", None, False, "a smiley young babysitter with a ponytail"),
    "nanny": Kin("Nanny", "friend", "female", False, "a smiley nanny with a ponytail and a big tote bag"),
    "godmother": Kin("Godmother", "family", "female", False, _MUM),
    "godfather": Kin("Godfather", "family", "male", False, _DAD),
}
# Words that sit before a sibling or friend and belong in the description: "big sister Ava".
KIN_MODIFIERS = ("big", "little", "baby", "older", "younger", "twin", "best", "new", "step", "half", "older",
                 "teenage", "favourite", "favorite")

# The child the book is for, as parents say it; the value is the child's gender when the word says it.
CHILD_WORDS: dict[str, str | None] = {
    "son": "male", "daughter": "female", "grandson": "male", "granddaughter": "female", "nephew": "male",
    "niece": "female", "boy": "male", "girl": "female", "kid": None, "child": None, "toddler": None,
    "little one": None, "godson": "male", "goddaughter": "female", "stepson": "male", "stepdaughter": "female",
    "grandkid": None, "grandchild": None, "little boy": "male", "little girl": "female",
    "baby boy": "male", "baby girl": "female", "preschooler": None, "kiddo": None, "student": None, "pupil": None,
}

PETS = (
    "dog", "puppy", "pup", "cat", "kitten", "kitty", "hamster", "rabbit", "bunny", "guinea pig", "goldfish",
    "parrot", "budgie", "pony", "horse", "tortoise", "turtle", "lizard", "gecko", "chicken", "hen", "duck",
    "goat", "ferret", "mouse", "rat", "fish", "pig", "donkey", "lamb",
)
TOYS = ("teddy bear", "teddy", "doll", "toy robot", "toy dinosaur", "stuffed bunny", "stuffed animal", "plushie",
        "soft toy", "blankie", "toy car", "toy train", "rag doll", "puppet")
CREATURES = (
    "dragon", "unicorn", "bear", "bunny", "rabbit", "fox", "owl", "cat", "kitten", "dog", "puppy", "mouse",
    "dinosaur", "robot", "monster", "penguin", "elephant", "lion", "tiger", "giraffe", "turtle", "frog",
    "duck", "pig", "horse", "pony", "whale", "octopus", "squirrel", "hedgehog", "badger", "wolf", "fairy",
    "giant", "alien", "bird", "bee", "butterfly", "ladybug", "ladybird", "snail", "koala", "panda", "sloth", "otter",
    "seal", "crab", "mermaid", "troll", "goat", "sheep", "cow", "dolphin", "shark", "monkey", "zebra", "hippo",
    "rhino", "kangaroo", "caterpillar", "spider", "bat", "raccoon", "deer", "reindeer", "moose", "llama", "yeti",
    "ghost", "elf", "gnome", "wizard", "pirate", "knight", "princess", "prince", "astronaut", "superhero",
    "spaceship", "rocket", "train", "tractor", "digger", "firetruck", "fire engine", "truck", "car", "boat",
    "tugboat", "snowman", "star", "cloud", "tree", "puffin", "walrus", "polar bear", "t-rex", "triceratops",
    "chick", "hen", "lamb", "puppy dog", "kitty",
)
# Creatures whose story usually makes them the main friend (not scenery) when they are the first mentioned.
MACHINES = {"robot", "spaceship", "rocket", "train", "tractor", "digger", "firetruck", "fire engine", "truck", "car",
            "boat", "tugboat"}

SPECIES_LOOKS: dict[str, tuple[str, list[str]]] = {
    "dragon": ("a small round dragon with stubby wings, a curly tail and big friendly eyes", ["leaf green", "warm gold"]),
    "unicorn": ("a little unicorn with a swirly horn and a fluffy mane", ["pearl white", "rainbow pastels"]),
    "bear": ("a cuddly brown bear cub with a round tummy", ["chestnut brown", "honey yellow"]),
    "fox": ("a small fox with a fluffy white-tipped tail", ["orange", "cream"]),
    "owl": ("a round little owl with huge golden eyes", ["soft brown", "gold"]),
    "robot": ("a small boxy robot with a round screen face and a springy antenna", ["silver", "sky blue"]),
    "dinosaur": ("a small friendly dinosaur with rounded spikes along its back", ["mint green", "orange"]),
    "bunny": ("a fluffy bunny with one floppy ear", ["grey", "pink"]),
    "rabbit": ("a fluffy rabbit with one floppy ear", ["grey", "pink"]),
    "dog": ("a scruffy, waggy dog with floppy ears", ["caramel brown", "white"]),
    "puppy": ("a roly-poly puppy with floppy ears and a waggy tail", ["caramel brown", "white"]),
    "cat": ("a fluffy cat with a long striped tail and green eyes", ["ginger", "white"]),
    "kitten": ("a tiny fluffy kitten with a striped tail", ["ginger", "white"]),
    "teddy": ("a well-loved teddy bear with a stitched smile and a patch on one paw", ["honey brown", "red"]),
    "teddy bear": ("a well-loved teddy bear with a stitched smile and a patch on one paw", ["honey brown", "red"]),
    "alien": ("a small round alien with three eyes and bouncy antennae", ["lime green", "purple"]),
    "penguin": ("a little round penguin with a fluffy chest", ["black", "white"]),
    "unicorn foal": ("a little unicorn with a swirly horn and a fluffy mane", ["pearl white", "rainbow pastels"]),
    "monster": ("a small, fuzzy, friendly monster with big googly eyes", ["teal", "purple"]),
}

# Verbs a story idea is made of (base forms). Forms such as "fixes", "fixing", "taught" are
# recognised through `english.base_candidates`.
ACTION_VERBS = frozenset("""
fix mend repair build make bake cook find search look save rescue help clean tidy plant grow paint draw decorate
learn teach practise practice show catch fish ride take swim fly climb explore visit travel go sail dig discover hunt
deliver carry bring collect gather feed wash race win play dance sing write read count spell tie share
look after care protect guard chase follow meet befriend make friends throw organise organize plan prepare
celebrate camp hike skate ski sled surf dive bounce hop run jump build skateboard knit sew wrap give send invent
design launch land return escape solve unlock open light wake calm comfort cheer help rebuild restore recover
pick harvest stack sort return chase perform present shop choose adopt hatch raise watch spot track map
navigate steer drive pilot lose start capture photograph film record study measure test join enter compete attend start
""".split())
# Verbs that say how someone is, not what happens ("she is 4", "he loves trucks", "we want a story").
STATE_VERBS = frozenset("be have love like want wish need hope think know feel seem adore enjoy prefer".split())

# Words after a kin word or "called" that cannot be a name.
NOT_NAMES = frozenset("""
a an the my our his her their its your this that these those there here and but or so then when once one in on at
with about for from to into onto of by near under inside outside over who whom whose which what where why how is
are was were be been being has have had do does did will would can could should shall may might must not no yes
ok okay hi hello please thanks thank maybe surprise story book books ages age years year old months month pages
page love loves loved likes like liked wants want wanted needs need gets get goes go went who's he she they it
him them we us you i me me, also too very really just all some any every each both little big tiny small
baby is, was, make makes made lives live lived learns learn learning teaches teach fix fixes takes take helps help
finds find has, adventure adventures style watercolor watercolour gouache crayon claymation chibi square
landscape portrait monday tuesday wednesday thursday friday saturday sunday christmas easter halloween
birthday mars jupiter saturn venus mercury neptune uranus pluto earth moon space lego pixar disney marvel
comic comics manga anime pixel cartoon today tomorrow yesterday tonight morning night day week weekend
january february march april may june july august september october november december
""".split())
