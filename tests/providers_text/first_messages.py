"""First messages as parents write them, and the brief each one must give.

Typos, run-on sentences, lists and several ideas at once. Each case names only the fields
its message states; `cast` maps a name to what the character is, `at` is the place as the
book says it, `premise` lists words the premise must contain, `style` is a preset id or the
label of a custom style, `moral` a phrase the moral must contain.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    message: str
    hero: str | None = None
    ages: tuple[int, int] | None = None
    cast: dict[str, str] = field(default_factory=dict)
    setting: str | None = None
    at: str | None = None
    style: str | None = None
    premise: tuple[str, ...] = ()
    tone: str | None = None
    moral: str | None = None
    pages: int | None = None
    format: str | None = None
    interests: tuple[str, ...] = ()


CASES: tuple[Case, ...] = (
    # the two examples of issue 19
    Case("My son is 7. He wants a space adventure where he and his grandma fix a broken robot on Mars. "
         "Comic book style please, 16 pages.",
         hero="Your son", ages=(7, 7), cast={"Grandma": "grandma"}, setting="Mars", at="on Mars", style="Comic book",
         premise=("Grandma", "fix", "robot"), tone="a big, exciting adventure", pages=16),
    Case("Grandpa Joe, who is 70 and teaches his grandson Sam, age 3, to fish at the lake",
         hero="Sam", ages=(3, 3), cast={"Grandpa Joe": "grandpa"}, setting="the lake", at="at the lake",
         premise=("Grandpa Joe", "Sam", "fish")),
    # named companions in every common phrasing
    Case("A story for my daughter Mia (4) about a robot called Bolt who wants to learn to dance",
         hero="Mia", ages=(4, 4), cast={"Bolt": "robot"}, premise=("Bolt", "dance")),
    Case("its for Leo, he's 5. Bolt the robot is his best friend and they build a rocket in the backyard",
         hero="Leo", ages=(5, 5), cast={"Bolt": "robot"}, setting="the backyard", at="in the backyard",
         premise=("build", "rocket")),
    Case("My daughter Ava is 6 and she has a robot, the robot is called Zip and it can fly",
         hero="Ava", ages=(6, 6), cast={"Zip": "robot"}),
    Case("for my little girl Rosie who is 3!! her teddy, Mr Buttons, goes everywhere with her. "
         "can they have a picnic in grandma's garden",
         hero="Rosie", ages=(3, 3), cast={"Mr Buttons": "teddy"}, setting="grandma's garden",
         at="in grandma's garden", premise=("picnic",)),
    Case("Noah (4) and our dog Biscuit go looking for dinosaur bones at the beach",
         hero="Noah", ages=(4, 4), cast={"Biscuit": "dog"}, setting="the beach", at="at the beach",
         premise=("Biscuit", "dinosaur bones")),
    Case("my son Kai is 6, his big sister Ava and our cat Mittens help him bake a cake for mums birthday. "
         "watercolour pls",
         hero="Kai", ages=(6, 6), cast={"Ava": "sister", "Mittens": "cat"}, style="watercolor",
         premise=("bake", "cake")),
    Case("A dragon named Ember who is scared of the dark, for my granddaughter Lily who is 4",
         hero="Lily", ages=(4, 4), cast={"Ember": "dragon"}, premise=("dark",)),
    Case("Please make a book for Zara age 5. Her unicorn is called Sparkle and they fly over the rainbow mountains. "
         "Anime style!",
         hero="Zara", ages=(5, 5), cast={"Sparkle": "unicorn"}, style="chibi", premise=("fly",)),
    # relatives by role and name
    Case("My grandson Theo is 4. Nana and Grandad take him to the zoo and he gets to feed the giraffes",
         hero="Theo", ages=(4, 4), cast={"Nana": "nana", "Grandad": "grandad"}, setting="the zoo", at="at the zoo",
         premise=("zoo",)),
    Case("Aunty Priya and my daughter Anaya (5) plant a sunflower in the garden and wait for it to grow",
         hero="Anaya", ages=(5, 5), cast={"Aunty Priya": "aunty"}, setting="the garden", at="in the garden",
         premise=("plant", "sunflower")),
    Case("my son omar is 8 and his uncle Sami is teaching him to ride a bike in the park",
         hero="Omar", ages=(8, 8), cast={"Uncle Sami": "uncle"}, setting="the park", at="in the park",
         premise=("ride", "bike")),
    Case("Her big sister Ava and little brother Tom. Its for Mia who's 3, they build a snowman together",
         hero="Mia", ages=(3, 3), cast={"Ava": "sister", "Tom": "brother"}, premise=("build", "snowman")),
    Case("for my 5 yo daughter Isla, her dad is a firefighter and she wants to be a firefighter like him",
         hero="Isla", ages=(5, 5), cast={"Dad": "dad"}, premise=("firefighter",)),
    Case("My twins Ella and Finn are 4, they go camping with Grandpa Jack in the woods",
         hero="Ella", ages=(4, 4), cast={"Finn": "sibling", "Grandpa Jack": "grandpa"}, setting="the woods",
         at="in the woods", premise=("camping",)),
    Case("for Sofia, 7, and her best friend Maya. They open a lemonade stand on their street",
         hero="Sofia", ages=(7, 7), cast={"Maya": "friend"}, premise=("lemonade",)),
    Case("my son Jayden (6) and his cousin Marcus build a treehouse with Grandpa",
         hero="Jayden", ages=(6, 6), cast={"Marcus": "cousin", "Grandpa": "grandpa"}, premise=("build", "treehouse")),
    # places beyond the chips, and how the book says them
    Case("Maya is 5 and goes on a trip to the moon in a cardboard rocket", hero="Maya", ages=(5, 5),
         setting="the moon", at="on the moon", premise=("moon",)),
    Case("a story set on a farm for my nephew Ben who is 3. he loves tractors", hero="Ben", ages=(3, 3),
         setting="a farm", at="on the farm", interests=("tractors",)),
    Case("Lucas, 6, explores a coral reef under the sea with a friendly octopus named Inky",
         hero="Lucas", ages=(6, 6), cast={"Inky": "octopus"}, premise=("reef",)),
    Case("set in a little village in the mountains. My daughter Hana is 4", hero="Hana", ages=(4, 4),
         setting="a little village in the mountains", at="in the little village in the mountains"),
    Case("my kid Eli is 7 and its about his first day at a new school", hero="Eli", ages=(7, 7),
         premise=("first day", "school")),
    Case("Ruby (2) splashing in puddles at the park with her puppy Pickle", hero="Ruby", ages=(2, 2),
         cast={"Pickle": "puppy"}, setting="the park", at="in the park"),
    Case("For Amara who is 6: she sails a little boat across the lake to visit her grandma",
         hero="Amara", ages=(6, 6), setting="the lake", at="at the lake", premise=("sails", "boat")),
    Case("my daughter Chloe, 4. A castle in the clouds where a giant is lonely and she makes friends with him",
         hero="Chloe", ages=(4, 4), premise=("giant",)),
    Case("Jack is 5 and lives on an island with a lighthouse. he rescues a baby seal after a storm",
         hero="Jack", ages=(5, 5), setting="an island", at="on the island", premise=("rescue", "seal")),
    Case("a story at the aquarium for my son Arlo (3), he wants to see the sharks",
         hero="Arlo", ages=(3, 3), setting="the aquarium", at="at the aquarium"),
    # art styles by their common names
    Case("my daughter Freya is 5, pixel art like minecraft, she builds a castle", hero="Freya", ages=(5, 5),
         style="Pixel art", premise=("builds", "castle")),
    Case("Pencil sketch style please. For Oscar, 8, who finds a map to a hidden treasure", hero="Oscar",
         ages=(8, 8), style="Pencil sketch", premise=("map", "treasure")),
    Case("claymation! for Harry age 4 who is a bit scared of the dark", hero="Harry", ages=(4, 4),
         style="claymation", premise=("dark",)),
    Case("for Mila (6) in a stop motion style, she and her hamster Nibbles escape from the toy shop",
         hero="Mila", ages=(6, 6), style="claymation", cast={"Nibbles": "hamster"}),
    Case("My son Felix is 5. Can the pictures look like a Pixar movie? he races a go kart", hero="Felix",
         ages=(5, 5), style="3d-animated", premise=("races",)),
    Case("Olivia, 4. soft watercolor illustrations, something gentle for bedtime about a sleepy bunny",
         hero="Olivia", ages=(4, 4), style="watercolor", tone="calm bedtime story"),
    Case("collage style like eric carle for my son Sam 3yo, a very hungry caterpillar who wants to fly",
         hero="Sam", ages=(3, 3), style="cut-paper", premise=("fly",)),
    Case("for Aria who is 6, manga style, she becomes a superhero and saves her school", hero="Aria",
         ages=(6, 6), style="chibi", premise=("saves", "school")),
    Case("crayon drawings like a kid did them. Max is 4 and he loses his favourite blanket", hero="Max",
         ages=(4, 4), style="crayon", premise=("loses", "blanket")),
    Case("Gouache please, mid century look. for Ada (7) who visits her grandpa in the city", hero="Ada",
         ages=(7, 7), style="gouache", cast={"Grandpa": "grandpa"}, setting="the city", at="in the city"),
    Case("Make it look like a comic book! My son Dev is 9 and he invents a machine that makes ice cream",
         hero="Dev", ages=(9, 9), style="Comic book", premise=("invents", "machine")),
    Case("for Lena, 5. Cartoon style. She and her friend Noor find a lost kitten in the park",
         hero="Lena", ages=(5, 5), style="Cartoon", cast={"Noor": "friend"}, setting="the park",
         premise=("kitten",)),
    Case("my son loves comic books. His name is Ravi and hes 6. can it be in watercolor", hero="Ravi",
         ages=(6, 6), style="watercolor"),
    # typos and run-ons
    Case("my dauhgter is 4 her name is Emma she loves unicorns and rainbows and her grandma lives by the sea",
         hero="Emma", ages=(4, 4), cast={"Grandma": "grandma"}, interests=("unicorns",)),
    Case("grandson jake 5 yrs, wants a story abt a dinosuar who cant find his mum",
         hero="Jake", ages=(5, 5), premise=("find",)),
    Case("Hi!! so my son Ethan is turning 6 next week and he is obsessed with trains. maybe he drives a train "
         "to the north pole to deliver presents?? 24 pages. square book",
         hero="Ethan", ages=(6, 6), setting="the north pole", at="at the north pole", premise=("deliver", "presents"),
         interests=("trains",), pages=24),
    Case("Lily 4yo, grandpa Bill, a picnic at the lake, watercolor, 12 pages", hero="Lily", ages=(4, 4),
         cast={"Grandpa Bill": "grandpa"}, setting="the lake", at="at the lake", style="watercolor", pages=12),
    Case("it's for my niece Grace (she's 3) and its about sharing her toys with her new baby brother",
         hero="Grace", ages=(3, 3), moral="sharing"),
    Case("Story about my son Leo age 4 and his stuffed elephant Peanut going on an adventure in the jungle, "
         "funny story please", hero="Leo", ages=(4, 4), cast={"Peanut": "elephant"}, setting="the jungle",
         at="in the jungle", tone="funny and silly"),
    Case("my daughter is 5 and she is nervous about going to the dentist", hero="Your daughter", ages=(5, 5),
         premise=("dentist",)),
    Case("for Kofi 6yrs, the lesson should be that it's ok to make mistakes. he builds a robot with his dad",
         hero="Kofi", ages=(6, 6), cast={"Dad": "dad"}, moral="ok to make mistakes", premise=("builds", "robot")),
    Case("Elsie is 2. short and sweet, about bath time with her rubber duck", hero="Elsie", ages=(2, 2)),
    Case("a bedtime story for Hugo (3) where the moon cant sleep and hugo sings it a lullaby",
         hero="Hugo", ages=(3, 3), tone="calm bedtime story"),
    Case("Sara is 7 she wants to learn to swim but is scared of the deep end, her mum helps her. portrait 6 x 9",
         hero="Sara", ages=(7, 7), cast={"Mum": "mum"}, format="portrait-small", premise=("swim",)),
    Case("My daughter Nina is 8. Make it 32 pages. She and her best friend Jo solve the mystery of the missing "
         "library books", hero="Nina", ages=(8, 8), cast={"Jo": "friend"}, pages=32, premise=("mystery",)),
    Case("for my grandaughter Poppy age 5 who loves horses. she helps her pony Clover win a ribbon at the fair",
         hero="Poppy", ages=(5, 5), cast={"Clover": "pony"}, interests=("horses",), premise=("ribbon",)),
    Case("3 year old Milo. a friendly monster named Fuzz who lives under his bed and is afraid of socks",
         hero="Milo", ages=(3, 3), cast={"Fuzz": "monster"}, premise=("socks",)),
    Case("Wanted: a book for Tariq, age 6! Theme: teamwork. He and his classmates build a giant sandcastle "
         "at the beach", hero="Tariq", ages=(6, 6), setting="the beach", at="at the beach", moral="teamwork",
         premise=("build", "sandcastle")),
    Case("our little one Bea is 2 and loves ducks, a story about feeding the ducks at the pond with Daddy",
         hero="Bea", ages=(2, 2), cast={"Daddy": "daddy"}, setting="the pond", at="at the pond",
         premise=("feeding", "ducks")),
    Case("My son Arjun is 5 and he has a pet tortoise called Speedy who wants to win a race. Landscape please",
         hero="Arjun", ages=(5, 5), cast={"Speedy": "tortoise"}, format="landscape", premise=("win", "race")),
    Case("For Evie (4): her teddy bear Barnaby gets lost at the supermarket and she finds him",
         hero="Evie", ages=(4, 4), cast={"Barnaby": "teddy bear"}, premise=("lost", "Barnaby")),
    Case("granddaughter Maisie 6, loves space and stars. an alien called Zib crash lands in her garden and she "
         "helps him fix his spaceship", hero="Maisie", ages=(6, 6), cast={"Zib": "alien"}, setting="Maisie's garden",
         premise=("fix", "spaceship"), interests=("space",)),
    Case("Adam is 4 and the story is about being brave. he climbs to the top of the big slide at the playground",
         hero="Adam", ages=(4, 4), moral="being brave", setting="the playground", at="at the playground",
         premise=("climbs", "slide")),
    Case("for ages 3-5, a hedgehog called Prickles who wants a friend but everyone is scared of his spikes",
         ages=(3, 5), cast={"Prickles": "hedgehog"}, premise=("friend",)),
    Case("My son is 4 and he loves diggers. Oil painting style", hero="Your son", ages=(4, 4), style="Oil painting",
         interests=("diggers",)),
    Case("Layla, 5, and Grandma Rose bake cookies in grandma's kitchen, cozy and warm", hero="Layla",
         ages=(5, 5), cast={"Grandma Rose": "grandma"}, premise=("bake", "cookies"), tone="cozy and gentle"),
)
