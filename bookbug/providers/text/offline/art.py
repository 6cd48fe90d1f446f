"""The offline art director: a style guide from the brief and a varied illustration beat per page."""

from __future__ import annotations

import random

from bookbug.agents.art_direction import IllustrationBeatInput, StyleGuideInput
from bookbug.providers.text.offline import inventing
from bookbug.providers.text.offline.kit import kit_for
from bookbug.story.art_direction import CharacterInFrame, IllustrationBeat, StyleGuide
from bookbug.story.plot import BeatPurpose

_LIGHTING = {"funny": "bright, even daylight with crisp, cheerful shadows",
             "bedtime": "soft lamplight and moonlight, warm pools of light, never pitch dark",
             "adventure": "clear golden daylight with long, soft afternoon shadows",
             "magical": "glowing, dappled light with gentle sparkles in the air"}

_FEELINGS: dict[BeatPurpose, tuple[str, str]] = {  # (hero expression, hero pose)
    BeatPurpose.setup: ("cheerful and curious", "skipping along, arms swinging"),
    BeatPurpose.build: ("wide-eyed and interested", "kneeling to say hello, one hand held out"),
    BeatPurpose.conflict: ("thoughtful, a little worried", "sitting with chin in hands, thinking"),
    BeatPurpose.twist: ("surprised and excited", "pointing at something, up on tiptoes"),
    BeatPurpose.climax: ("determined and focused", "working carefully with both hands"),
    BeatPurpose.payoff: ("overjoyed, laughing", "arms thrown wide in a happy hug"),
    BeatPurpose.button: ("sleepy and content", "curled up cosily, eyes nearly closed"),
}
_FRIEND_FEELINGS: dict[BeatPurpose, tuple[str, str]] = {
    BeatPurpose.setup: ("peaceful", "resting nearby"),
    BeatPurpose.build: ("shy, with a hopeful little smile", "peeking out, half hidden"),
    BeatPurpose.conflict: ("worried, eyebrows tilted", "hugging its own tail"),
    BeatPurpose.twist: ("curious", "leaning in to look"),
    BeatPurpose.climax: ("hopeful", "watching closely, paws clasped"),
    BeatPurpose.payoff: ("beaming with joy", "bouncing happily"),
    BeatPurpose.button: ("snug and sleepy", "snuggled up beside the hero"),
}
_SHOTS = ("wide", "medium", "medium close-up", "close-up", "extreme wide")
_ANGLES = ("eye level", "child's eye level", "low angle", "high angle", "over the shoulder")
_COMPOSITIONS = ("{who} on the left third, looking right into the open space, calm sky across the top for the text",
                 "{who} centred low in the frame, with a quiet band of background above for the text",
                 "{who} on the right third, the path leading in from the left, soft empty area bottom left for text",
                 "{who} framed by the setting like a window, a clear area at the bottom for the text")


def style_guide(input: StyleGuideInput, rng: random.Random) -> StyleGuide:
    brief, kit = input.brief, kit_for(input.brief)
    style = brief.art_style or inventing.style(None)
    lighting = next((light for word, light in _LIGHTING.items() if word in kit.tone),
                    "warm, soft morning light that turns golden by the end")
    young = brief.age_range is not None and brief.age_range.min < 5
    avoid = ["frightening faces or sharp teeth", "dark shadows that look like monsters", "anyone in danger or hurt"]
    if young:
        avoid.append("busy, cluttered backgrounds")
    return StyleGuide(
        art_style=style,
        setting=f"{brief.setting}: a friendly, inviting world with rounded shapes and small details to discover",
        lighting=lighting,
        colour_script=("soft warm pastels at the start; cooler, gentle blues while the problem grows; "
                       "a glowing burst of warm gold and pink at the happy ending"),
        mood=f"{kit.tone}, safe and reassuring",
        avoid=avoid,
    )


def illustration_beat(input: IllustrationBeatInput, rng: random.Random) -> IllustrationBeat:
    brief, page, purpose = input.brief, input.page, input.plan.beat.purpose
    kit = kit_for(brief)
    hero_feel = _FEELINGS[purpose]
    characters = [CharacterInFrame(name=kit.hero, expression=hero_feel[0], pose=hero_feel[1])]
    for character in brief.characters:
        if character.name != kit.hero and character.name.lower() in page.text.lower():
            feel = _FRIEND_FEELINGS[purpose]
            characters.append(CharacterInFrame(name=character.name, expression=feel[0], pose=feel[1]))
    previous = input.previous_beat
    shots = [s for s in _SHOTS if previous is None or s != previous.shot_size]
    angles = [a for a in _ANGLES if previous is None or a != previous.camera_angle]
    shot = "wide" if page.page_number == 1 else rng.choice(shots)
    who = " and ".join(c.name for c in characters)
    return IllustrationBeat(
        page_number=page.page_number,
        characters=characters,
        shot_size=shot,  # type: ignore[arg-type]  # chosen from the Literal's own values
        camera_angle=rng.choice(angles),  # type: ignore[arg-type]  # chosen from the Literal's own values
        composition=rng.choice(_COMPOSITIONS).format(who=who),
        setting_details=f"{brief.setting}; {page.image_concept.split(': ', 1)[-1]}"[:400],
    )
