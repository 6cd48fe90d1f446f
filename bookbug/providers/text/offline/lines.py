"""The offline writer's sentence bank: lines for each part of a story, and scene lines.

Each line is a sentence without its full stop, longer endings (so one bank serves toddlers
and early readers), and what it needs: "pal" (someone beside the hero), "thing" (a premise
with an object), "home"/"away" (the hero lives at the place, or went there), "space",
"water", "land" (what the place is like). Slots such as {hero}, {pal}, {short_thing},
{obstacle} and {spark} are filled from the story kit, so the premise's words run through
the pages. A line is used at most once in a book.
"""

from __future__ import annotations

from dataclasses import dataclass

from bookbug.story.plot import BeatPurpose


@dataclass(frozen=True)
class Line:
    base: str
    endings: tuple[str, ...] = ()
    needs: frozenset[str] = frozenset()


def _l(base: str, *endings: str, needs: str = "") -> Line:
    return Line(base, endings, frozenset(needs.split()))


_P = BeatPurpose
BY_PURPOSE: dict[BeatPurpose, tuple[Line, ...]] = {
    _P.setup: (
        _l("{hero} lived {at}", ", where every morning began with birdsong", " with a head full of big ideas", needs="home"),
        _l("{hero} loved {interest} more than anything", ", and talked about {interest} all day long"),
        _l("Every day felt like a brand-new adventure", " for {hero}", " just waiting around the corner for {hero}"),
        _l("The sun peeked over {place}", " and painted everything gold",
           " and tickled {hero_s} nose until it was time to get up", needs="land"),
        _l("{hero} always had a pocket full of questions", " and a heart full of kindness",
           " about how things worked and why the sky was so big"),
        _l("Nobody was more curious than {hero}", ", not even the cat next door"),
        _l("{pal} was never far from {hero_s} side", ", always ready for fun", needs="pal"),
        _l("Bags were packed and boots were laced", " for the big day ahead",
           " because today was a very special day", needs="away"),
        _l("{hero} could hardly sit still", " that morning", " because something exciting was about to happen"),
        _l("\"Are we nearly there yet?\" asked {hero}", needs="away"),
        _l("{He} pressed {his} nose to the window", " and watched the world rush by", needs="away"),
        _l("It was the kind of morning that sparkled", " with promise from top to bottom"),
        _l("{hero} had been waiting for this day", " for a very long time", " for weeks and weeks and weeks"),
    ),
    _P.build: (
        _l("{hero} took a good look at {short_thing}", " from every side",
           " and thought very hard about what to do", needs="thing"),
        _l("{pal} leaned in close", " to take a look", " to see what {hero} had found",
           " and peered at everything with wide, wondering eyes", needs="pal"),
        _l("\"Hello,\" said {hero}, with a wave", " and a great big smile"),
        _l("{hero} and {pal} looked all around {place}", ", giggling all the way",
           ", peeking behind every corner and under every leaf", needs="pal"),
        _l("{hero} hummed a little song about {interest}", " while skipping along",
           " and made up new words for every verse"),
        _l("{pal} told {hero} a secret", " in a very small voice", " in a voice as soft as a feather, and {hero} nodded", needs="pal"),
        _l("Something was not quite right", " that day", " that day, and {hero} could feel it"),
        _l("{hero} counted everything they would need", " on {his} fingers", " twice, just to be sure"),
        _l("\"Where do we start?\" wondered {hero}", " out loud, looking this way and that"),
        _l("{pal} pointed at {short_thing}", " and nodded", needs="pal thing"),
        _l("A plan began to take shape", " in {hero_s} busy head", ", one small piece at a time, in {hero_s} busy head"),
        _l("First things first, thought {hero}", ", and made a careful list of everything to do"),
        _l("{hero} rolled up {his} sleeves", " and got ready to help", " and got ready for some serious work"),
        _l("There was so much to see {at}", ", and {hero} did not know where to look first"),
        _l("{He} wanted {goal} more than anything", ", more than ice cream and more than birthdays", needs="goal"),
        _l("{pal} gave a hopeful little smile", " and a twinkly wink", ", the kind of smile that says everything will be fine", needs="pal"),
        _l("The morning buzzed with excitement", " all around them", ", as if the whole world knew something special was coming"),
        _l("\"We can do this together,\" said {pal}", ", giving {hero_s} hand a gentle squeeze", needs="pal"),
    ),
    _P.conflict: (
        _l("{hero} tried once", ", but it did not work", ", but it did not work, not even a tiny bit"),
        _l("{pal} felt small and worried", ", like a mouse in a very big house", needs="pal"),
        _l("{hero} tried one idea, then another", ", but each one went wobbly",
           ", but each plan fell apart like a sandcastle in the rain"),
        _l("{pal} asked, \"What can we do now?\"", needs="pal"),
        _l("Even {hero} felt a little stuck", " for a moment", " and sat down on a rock to think for a while"),
        _l("The problem seemed bigger than ever", ", and everyone sighed a long, slow sigh"),
        _l("Oh dear, {obstacle}", ", and everyone let out a groan", needs="obstacle"),
        _l("Nothing went the way {hero} had hoped", ", and the afternoon grew quiet and still"),
        _l("{hero} frowned and scratched {his} head", ", trying to think of something, anything, that might work"),
        _l("\"This is harder than it looks,\" said {pal}", ", with a long and wobbly sigh", needs="pal"),
        _l("A big sigh slipped out of {hero}", ", as long and slow as a snail on a Sunday"),
        _l("{hero} kicked a little stone", " and thought very hard", " and thought and thought and thought"),
        _l("Maybe it was just too tricky", " after all", ", thought {hero}"),
        _l("Clouds drifted over {place}", " and the light turned grey", needs="land"),
        _l("{pal} patted {hero} gently on the back", " and said, \"Don't worry, we will find a way\"", needs="pal"),
        _l("It was not working, not one little bit", ", no matter how hard everyone tried"),
        _l("\"Why won't it work?\" asked {hero}", ", looking up at the sky for an answer"),
        _l("Round and round went {hero_s} thoughts", ", like a spinning top", ", like a merry-go-round that would not stop"),
    ),
    _P.twist: (
        _l("{hero} blinked and looked again", ", just to be sure", " at something nobody else had seen"),
        _l("\"Wait,\" said {hero}, \"I have an idea!\""),
        _l("{hero_s} eyes went wide", " as a brand-new idea popped up"),
        _l("Maybe there was another way", " after all", " to make things right, if {hero} looked carefully enough"),
        _l("{hero} looked at the problem from a brand-new side", " and started to smile"),
        _l("A tiny smile crept across {hero_s} face", ", the way the sun creeps over a hill in the morning"),
        _l("{pal} leaned closer to listen", " to the plan", " as {hero} explained the plan", needs="pal"),
        _l("Ideas fizzed like bubbles in {hero_s} head", ", popping and sparkling one after another"),
        _l("\"Let's try it my way,\" whispered {hero}", ", eyes shining with excitement"),
        _l("{hero} picked up {the_spark}", " and held it up high", needs="spark"),
        _l("Everyone gathered round to hear the plan", ", leaning in so close that their noses nearly touched"),
        _l("Suddenly, everything made sense", " to {hero}", ", like the last piece of a jigsaw clicking into place"),
    ),
    _P.climax: (
        _l("{hero} took a deep breath and got to work", ", one careful step at a time",
           ", one careful step and then another careful step"),
        _l("It was hard, but {hero} kept going", " and tried again and again",
           ", trying again and again until the plan began to work"),
        _l("\"You can do it,\" {pal} whispered", needs="pal"),
        _l("Slowly, something wonderful began to happen", " right before their eyes"),
        _l("{hero} twisted, tapped and tried", " with all {his} might", ", then twisted, tapped and tried a little bit more"),
        _l("Step by step, the plan came together", ", just the way {hero} had pictured it"),
        _l("{pal} held on tight", " and watched every move", " and did not dare to blink, not even once", needs="pal"),
        _l("{hero_s} hands did not stop", " until the job was done", ", not even when they felt tired and wobbly"),
        _l("Everyone watched {hero} in hushed silence", ", hardly daring to breathe"),
        _l("{hero} gave it one last try", " with a brave, steady heart", ", holding {his} breath and counting to three"),
        _l("The whole world seemed to hold its breath", ", waiting to see what would happen"),
        _l("Faster and faster went {hero_s} clever hands", ", quick as a busy little bee"),
        _l("{hero} used {the_spark}", " just the way {he} had planned", needs="spark"),
        _l("\"Almost there,\" said {pal}", ", bouncing up and down on tiptoes", needs="pal"),
    ),
    _P.payoff: (
        _l("Everyone cheered", " and clapped their hands", " and clapped their hands and stamped their happy feet"),
        _l("{hero} and {pal} hugged", " the biggest hug in the whole world", needs="pal"),
        _l("It had worked", ", just like {hero} had hoped", ", just like {hero} had hoped it would, and even a little better"),
        _l("{pal} gave {hero} a thank-you smile", " as bright as the morning sun", needs="pal"),
        _l("{hero} laughed until {his} tummy hurt", " and {his} cheeks glowed pink as strawberries"),
        _l("What a wonderful day it had been", ", full of surprises from beginning to end"),
        _l("{pal} did a happy little dance", ", wiggling and jiggling all over", needs="pal"),
        _l("\"Hooray!\" shouted {pal}", ", so loudly that the birds flew up from the trees", needs="pal"),
        _l("{hero} felt proud from head to toe", ", taller and braver than ever before"),
        _l("A warm glow filled {place}", ", as golden as honey on toast"),
        _l("Nobody would ever forget this day", ", not in a hundred years"),
        _l("{hero} grinned the widest grin", " anyone had ever seen"),
        _l("{short_thing} looked better than ever", ", and everyone came to see", needs="thing task"),
    ),
    _P.button: (
        _l("That night, {hero} fell asleep smiling", ", dreaming of {interest}",
           ", dreaming of {interest} and of everything that had happened"),
        _l("{pal} always saved a spot for {hero}", " on every new adventure", needs="pal"),
        _l("Tomorrow would bring a brand-new adventure", ", and {hero} could hardly wait"),
        _l("And the stars winked goodnight", " over {place}", " over the rooftops and the treetops"),
        _l("{hero} snuggled under {his} blanket", " with a happy sigh", ", warm and safe and full of happy thoughts"),
        _l("The moon rose softly", " over {place}", ", round and silver, like a night-light in the sky"),
        _l("Sleepy yawns filled the room", ", one after another after another"),
        _l("\"Goodnight,\" whispered {pal}", ", already halfway to dreamland", needs="pal"),
        _l("{hero} closed {his} eyes", " and remembered every moment", " and smiled at every happy thing that had happened"),
        _l("Somewhere, an owl hooted softly", needs="land"),
        _l("What would tomorrow bring?"),
        _l("All was quiet and cosy at last", ", and the night wrapped everyone up like a soft blanket"),
    ),
}

SCENE: tuple[Line, ...] = (
    _l("A soft breeze danced through {place}", " and rustled the leaves", needs="day land"),
    _l("Birds hummed a happy tune", " high above", " high above, as if they were cheering {hero} on", needs="day land"),
    _l("{hero} smiled a great big smile", " that reached all the way up to the ears"),
    _l("Tap, tap, tap went {hero_s} little feet", " along the winding path"),
    _l("{pal} wiggled with excitement", " from head to toes", needs="pal"),
    _l("The air smelled sweet and new", " like a morning after the rain", needs="day land"),
    _l("A ladybird landed on {hero_s} sleeve", " and then flew off again with a tiny buzz", needs="day land"),
    _l("{pal} giggled", " a bubbly, bouncy giggle", ", and soon everyone was giggling too", needs="pal"),
    _l("Sunlight sparkled on everything", " around them", needs="day land"),
    _l("A butterfly fluttered past", ", and {hero} waved", needs="day land"),
    _l("{hero_s} tummy gave a little rumble", ", and everyone laughed at the funny noise"),
    _l("The clouds looked like fluffy sheep", " grazing in a big blue field", needs="day land"),
    _l("{pal} hummed a cheerful tune", ", tapping along with one foot", needs="pal"),
    _l("A squirrel watched from a branch", ", its bushy tail curled like a question mark", needs="day land"),
    _l("{hero} skipped a few happy steps", ", light as a leaf on the wind"),
    _l("Little pebbles glittered like treasure", " all along the path", needs="land"),
    _l("{pal} waved both arms in the air", " like a windmill in a breeze", needs="pal"),
    _l("Snack time came just in time", ", with apple slices and crackers", needs="day"),
    _l("{hero} wiped {his} forehead", " and took a long, cool drink of water", needs="day"),
    _l("The shadows stretched long and thin", ", like giants stretching after a nap", needs="day"),
    _l("Bees buzzed busily among the flowers", ", humming their own busy song", needs="day land"),
    _l("{pal} stayed close by", " the whole time", ", ready to help with anything at all", needs="pal"),
    _l("Colours seemed brighter than ever", ", as if someone had painted everything fresh"),
    _l("A gentle hush settled all around", ", soft as a whisper"),
    _l("{hero} could hear {his} heart going thump, thump", ", like a little drum keeping time"),
    _l("A warm wind wrapped around them", needs="land"),
    _l("{hero} blinked in the bright light", " and shaded {his} eyes with one hand", needs="day"),
    _l("Little by little, the day rolled on", ", and the sun moved slowly across the sky", needs="day"),
    _l("{pal} gave a big thumbs-up", " and the biggest, brightest grin", needs="pal"),
    _l("A cloud drifted lazily by", ", shaped just like a sleepy rabbit", needs="day land"),
    _l("Tiny stars twinkled all around them", needs="space"),
    _l("Red dust swirled around their boots", needs="space"),
    _l("Far away, the Earth glowed blue and green", needs="space"),
    _l("Every step was a bouncy, floaty step", needs="space"),
    _l("A comet whizzed past", " with a long, sparkly tail", needs="space"),
    _l("Their boots left funny footprints in the dust", needs="space"),
    _l("Ripples danced across the water", needs="water"),
    _l("A duck paddled by", " with a friendly quack", needs="water"),
    _l("The water sparkled in the sun", needs="day water"),
    _l("Little waves lapped at the shore", needs="water"),
    _l("A dragonfly zipped over the water", needs="day water"),
    _l("Everyone shared a drink of cool water", " and a handful of crunchy crackers"),
    _l("{hero} hopped from one foot to the other", ", too excited to stand still"),
    _l("Somebody's tummy rumbled loudly", ", and everyone laughed"),
)

# One short line, repeated on purpose on a few pages, by the premise's frame.
REFRAINS = {
    "task": "{Verb} it, {verb} it, one step at a time!",
    "learn": "Try, try and try once more!",
    "want": "Try, try and try once more!",
    "fear": "Brave and bright, we'll be all right!",
    "find": "Look high, look low, where did it go?",
    "friend": "Hello, hello, come and play!",
    "journey": "Off we go, and on we go!",
    "general": "Step by step, we'll find a way!",
}

# Clauses that lengthen a line for older readers (40-60 words a page); each is used once in a book.
TAILS = (
    ", and the whole day seemed to glow", ", and it felt good to be together", ", and the air was full of wonder",
    ", and time seemed to slow down", ", and a warm, fuzzy feeling grew inside", ", and the world felt wide and bright",
    ", and everything felt just a little bit better", ", and hope fluttered like a butterfly",
    ", and a giggle bubbled up from somewhere", ", and it felt like the start of something special",
)
