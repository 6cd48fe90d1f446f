"""The maintained list: words, phrases and a few patterns that a young child's book leaves out.

How to maintain it
- `TERMS` are whole words or phrases, matched on word boundaries, case-insensitively, with
  any run of spaces or hyphens between their words ("self harm" matches "self-harm"). A
  trailing `*` means "and any ending" (`murder*`: murderer, murdering); use it only where no
  harmless word starts the same way (`gun*` would catch "Gunnar").
- `PATTERNS` say what a list cannot: a verb only with people as its object ("eats people"),
  a name of a group after "hates".
- `YOUNG_TERMS` are fine for older children and frightening for under-sixes.
- `ALLOWED` are harmless phrases that contain a listed word ("killer whale", "water gun",
  "root beer"); they are taken out of the text before it is screened.
- A match right after a negation, with at most a few small words between ("no violence",
  "not too scary", "without any blood"), does not count: the person asked for it to be left out.
Every addition needs a row in tests/safety/requests.py (and a near miss that must still pass).
"""

from __future__ import annotations

from bookbug.safety.concerns import Concern

TERMS: dict[Concern, tuple[str, ...]] = {
    "sexual": (
        "sex", "sexy", "sexier", "sexual", "sexually", "naked", "nude", "nudes", "nudity", "porn*", "erotic*",
        "orgasm*", "strip club", "stripper*", "striptease", "topless", "lingerie", "seduce*", "seducing", "seduction",
        "make out", "makes out", "making out", "made out with", "hooker*", "prostitut*", "brothel*", "fetish*",
        "kinky", "horny", "intercourse", "boobs", "onlyfans",
    ),
    "self_harm": (
        "suicide", "suicides", "suicidal", "self harm", "self harming", "self harmed", "self injury", "overdose*",
        "anorexi*", "bulimi*", "wants to die", "want to die", "wanted to die", "wanting to die",
    ),
    "hate": (
        "nazi*", "neo nazi*", "swastika*", "kkk", "ku klux klan", "white power", "white supremac*",
        "ethnic cleansing", "genocide*", "racial slur*", "racist joke*", "racist story", "racist stories",
        "inferior race*", "master race", "hate crime*",
    ),
    "violence": (
        "kill", "kills", "killed", "killing", "killings", "killer", "killers", "murder*", "stab", "stabs", "stabbed",
        "stabbing*", "behead*", "decapitat*", "massacre*", "slaughter*", "torture*", "gore", "gory", "gruesome",
        "grisly", "bloodbath", "bloody", "bloodied", "blood", "bleed", "bleeds", "bleeding", "gun", "guns",
        "gunfire", "gunshot*", "gunman", "gunmen", "rifle", "rifles", "pistol", "pistols", "shotgun*", "handgun*",
        "machine gun*", "bomb", "bombs", "bombing*", "bombed", "grenade*", "explosives", "terrorist*", "terrorism",
        "shooting spree", "school shooting*", "mass shooting*", "shot dead", "beat up", "beats up", "beating up",
        "beaten up", "strangle*", "assassinat*", "war crime*", "slay", "slays", "slayed", "slaying", "slain",
        "fight to the death", "fistfight*", "knife fight*", "dismember*", "mutilat*", "maim*",
    ),
    "drugs": (
        "drug", "drugs", "drug dealer*", "cocaine", "heroin", "meth", "methamphetamine", "crack cocaine",
        "marijuana", "cannabis", "lsd", "mdma", "opioid*", "fentanyl", "alcohol", "alcoholic*", "beer", "beers",
        "wine", "wines", "vodka", "whisky", "whiskey", "tequila", "rum", "cocktail", "cocktails", "booze*", "drunk",
        "drunken", "hangover*", "hungover", "cigarette*", "cigar", "cigars", "tobacco", "vape", "vapes", "vaping",
        "vaper*", "stoned", "bong", "bongs",
    ),
    "real_person": (
        "donald trump", "trump", "joe biden", "biden", "kamala harris", "barack obama", "obama", "michelle obama",
        "hillary clinton", "vladimir putin", "putin", "xi jinping", "kim jong un", "elon musk", "jeff bezos",
        "mark zuckerberg", "bill gates", "taylor swift", "beyonce", "beyoncé", "kim kardashian", "kanye west",
        "justin bieber", "ariana grande", "billie eilish", "harry styles", "lady gaga", "rihanna",
        "cristiano ronaldo", "ronaldo", "lionel messi", "messi", "lebron james", "serena williams", "oprah",
        "oprah winfrey", "king charles", "prince william", "prince harry", "meghan markle", "pope francis",
        "greta thunberg", "mrbeast", "mr beast", "emmanuel macron", "keir starmer", "rishi sunak", "narendra modi",
        "volodymyr zelensky", "zelensky", "dwayne johnson", "the pope",
    ),
    "frightening": (
        "horror story", "horror stories", "horror movie*", "horror film*", "horror book*", "body horror", "horrific",
        "zombie*", "demon", "demons", "demonic", "demonic possession", "satan*", "exorcis*", "serial killer*",
        "chainsaw*", "slasher*", "slender man", "jump scare*", "nightmare fuel", "dead body", "dead bodies", "corpse*",
        "evil clown*", "killer clown*", "creepy clown*", "bloodcurdling", "blood curdling", "buried alive",
    ),
}

# The role a famous person plays, so an alternative can offer a made-up one ("a made-up pop star").
REAL_PEOPLE_ROLES: dict[str, str] = {
    "donald trump": "president", "trump": "president", "joe biden": "president", "biden": "president",
    "kamala harris": "leader", "barack obama": "president", "obama": "president", "michelle obama": "leader",
    "hillary clinton": "leader", "vladimir putin": "king", "putin": "king", "xi jinping": "leader",
    "kim jong un": "leader", "elon musk": "inventor", "jeff bezos": "shopkeeper", "mark zuckerberg": "inventor",
    "bill gates": "inventor", "taylor swift": "pop star", "beyonce": "pop star", "beyoncé": "pop star",
    "kim kardashian": "movie star", "kanye west": "singer", "justin bieber": "pop star", "ariana grande": "pop star",
    "billie eilish": "singer", "harry styles": "pop star", "lady gaga": "pop star", "rihanna": "pop star",
    "cristiano ronaldo": "football star", "ronaldo": "football star", "lionel messi": "football star",
    "messi": "football star", "lebron james": "basketball star", "serena williams": "tennis star",
    "oprah": "TV host", "oprah winfrey": "TV host", "king charles": "king", "prince william": "prince",
    "prince harry": "prince", "meghan markle": "princess", "pope francis": "kind old helper",
    "greta thunberg": "nature helper", "mrbeast": "video star", "mr beast": "video star",
    "emmanuel macron": "leader", "keir starmer": "leader", "rishi sunak": "leader", "narendra modi": "leader",
    "volodymyr zelensky": "leader", "zelensky": "leader", "dwayne johnson": "movie star",
}

_PEOPLE = (r"(?:people|persons?|humans?|children|child|kids?|villagers|babies|baby|boys?|girls?|men|man|women|woman|"
           r"everyone|everybody|swimmers|students|classmates|teachers?|families|family|parents|mom|mum|dad|"
           r"grandma|grandpa|neighbou?rs|friends|campers|hikers|tourists|sailors|fishermen|farmers|soldiers|"
           r"princess(?:es)?|princes?|kings?|queens?|villagers)")
_DET = (r"(?:(?:up\s+)?(?:all\s+(?:of\s+)?)?(?:the|some|a|an|his|her|their|my|your|lots\s+of|two|three|many)\s+)?"
        r"(?:(?:little|small|tiny|young|naughty|poor|other|nice|sleeping)\s+)?")
_NOT_OWNER = r"(?![\'’])"  # "eats people's sandwiches", "her friends' cookies": whose, not whom
_GROUPS = (r"(?:black|white|brown|asian|jewish|jews|muslims?|christians?|hindus?|sikhs?|gay|lesbian|trans|"
           r"transgender|disabled|mexicans?|chinese|immigrants?|refugees?|africans?|arabs?|indians?|latinos?|"
           r"foreigners|girls|boys|women|fat)")

_CHILDREN = r"(?:child|children|kids?|babies|baby|boys?|girls?|toddlers?)"

PATTERNS: dict[Concern, tuple[str, ...]] = {
    "self_harm": (
        # "cuts herself a slice of cake", "cut himself on a shell", "hangs himself upside down": not self-harm
        r"\b(?:kill(?:s|ed|ing)?|hang(?:s|ed|ing)?|cut(?:s|ting)?|starv(?:e|es|ed|ing))\s+"
        r"(?:him|her|my|your|them|our)sel(?:f|ves)\b(?!\s+(?:a|an|some|the|one|two|three|another|on|while|by|"
        r"with|accidentally|slightly|upside|from|up)\b)",
        r"\bend(?:s|ed|ing)?\s+(?:his|her|their|my|your)\s+(?:own\s+)?life\b",
        r"\btake(?:s|n)?\s+(?:his|her|their|my|your)\s+own\s+life\b",
    ),
    "hate": (
        rf"\bhat(?:e|es|ed|ing)\s+(?:all\s+)?(?:the\s+)?{_GROUPS}(?:\s+people)?\b",
        rf"\b{_GROUPS}(?:\s+people)?\s+(?:are|is)\s+(?:stupid|bad|evil|dirty|inferior|ugly|disgusting|animals|"
        r"worthless|less)\b",
        r"\bgo\s+back\s+to\s+(?:your|their|his|her)\s+(?:own\s+)?country\b",
        r"\bmak(?:e|es|ing)\s+fun\s+of\s+(?:the\s+)?(?:disabled|fat|gay|black|jewish|muslim|trans)\b",
    ),
    "violence": (
        # eating, attacking or shooting people (not "eats people's sandwiches", not "bites" or "hits":
        # a toddler who bites is a book parents ask for)
        rf"\b(?:eat|eats|eating|ate|eaten|devour\w*|gobbl(?:e|es|ed|ing)\s+up|chomp(?:s|ed|ing)?(?:\s+on)?|"
        rf"injur(?:e|es|ed|ing)|attack(?:s|ed|ing)?|maul(?:s|ed|ing)?|stab(?:s|bed|bing)?|shoot(?:s|ing)?|shot|"
        rf"poison(?:s|ed|ing)?|drown(?:s|ed|ing)?)\s+{_DET}{_PEOPLE}\b{_NOT_OWNER}",
        r"\bshoot(?:s|ing)?\s+at\s+(?:him|her|them|us|me|everyone|anybody|anyone|people)\b",
        r"\b(?:cut|chop(?:s|ped)?|rip(?:s|ped)?|tear|tore)\s+(?:off\s+)?(?:his|her|their|its)\s+"
        r"(?:head|arms?|legs?)(?:\s+off)?\b",
    ),
    "drugs": (
        r"\bsmok(?:e|es|ed|ing)\s+(?:some\s+)?(?:weed|pot|a\s+joint|joints|crack|a\s+pipe|pipes|cigar\w*)\b",
        r"\b(?:weed|pot)\s+brownies?\b",
        r"\bhigh\s+on\s+(?:drugs|weed|pot|pills|cocaine)\b",  # not "the kite gets high"
        r"\b(?:gets?|got|getting)\s+drunk\b",
    ),
    "real_person": (
        r"\bthe\s+president\s+of\s+(?:the\s+united\s+states|america|the\s+usa|france|russia|china|ukraine)\b",
        r"\bthe\s+(?:us|usa|american|british|uk|french|russian|chinese|indian|canadian)\s+"
        r"(?:president|prime\s+minister)\b",
        r"\bthe\s+prime\s+minister\s+of\s+(?:the\s+uk|britain|great\s+britain|england|canada|india|australia|"
        r"japan|italy)\b",
    ),
    "sexual": (),
    "frightening": (
        r"\b(?:scare|scares|scared|frighten\w*|terrif(?:y|ies|ied))\s+(?:the\s+)?(?:kids|children|readers)\s+"
        r"to\s+death\b",
        r"\bpossessed\s+by\b",
        rf"\b(?:kidnap\w*|abduct\w*|snatch(?:es|ed|ing)?)\s+{_DET}{_CHILDREN}\b{_NOT_OWNER}",
    ),
}

# Fine for six and up; too frightening for a younger child's book.
YOUNG_TERMS: tuple[str, ...] = (
    "scary", "scarier", "scariest", "spooky", "spookier", "spookiest", "creepy", "creepier", "haunted",
    "ghost story", "ghost stories", "vampire*", "werewolf", "werewolves", "skeleton army", "monster attack*",
    "frightening", "nightmarish", "sinister", "menacing", "eaten alive", "terrifying", "horrifying", "kidnap*",
    "abduct*",
)

ALLOWED: tuple[str, ...] = (
    "killer whale", "killer whales", "killer app", "blood orange", "blood oranges", "blood cell", "blood cells",
    "blood moon", "water gun", "water guns", "squirt gun", "squirt guns", "nerf gun", "nerf guns", "glue gun",
    "glue guns", "bubble gun", "bubble guns", "water pistol", "water pistols", "bath bomb", "bath bombs",
    "seed bomb", "seed bombs", "glitter bomb", "glitter bombs", "photo bomb", "photobomb", "root beer", "root beers",
    "ginger beer", "ginger beers", "butterbeer", "naked mole rat", "naked mole rats", "naked mole-rat",
    "naked eye", "wine red", "wine gums", "fruit cocktail", "prawn cocktail", "rum raisin", "had drunk",
    "has drunk", "have drunk", "trump card", "trump cards", "bloody mary", "gunny sack", "pop gun", "popgun",
    "drug store", "shooting star", "shooting stars", "killing time", "kill time", "king charles spaniel",
    "king charles spaniels", "creepy crawly", "creepy crawlies", "speed demon", "speed demons",
)

# A negation before a match means the person asked for it to be left out ("no violence").
NEGATIONS: frozenset[str] = frozenset({
    "no", "not", "never", "without", "nothing", "none", "nor", "isn't", "aren't", "wasn't", "weren't", "don't",
    "doesn't", "didn't", "won't", "shouldn't", "zero", "less", "avoid", "avoiding", "minus", "skip", "n't",
})
# Small words that may stand between a negation and what it negates ("not too scary").
FILLERS: frozenset[str] = frozenset({
    "too", "very", "any", "anything", "a", "an", "the", "so", "overly", "really", "remotely", "at", "all", "even",
    "slightly", "bit", "little", "real", "actual", "of", "much", "more", "super", "that", "scenes", "kind",
})
