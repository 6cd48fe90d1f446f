"""Turn an illustration request into the words an image model reads.

Our own layout puts the story text on the page, so every prompt forbids drawn text in plain
words: image models otherwise love to add captions, signs and garbled letters.
"""

from __future__ import annotations

from bookbug.providers.images.models import CharacterLook, IllustrationRequest

NO_TEXT = (
    "Never draw any text in the picture: no letters, no words, no numbers, no captions, "
    "no signs, no labels, no speech bubbles, no title and no signature."
)

STYLE_WORDS: dict[str, str] = {
    "watercolor": "soft watercolour children's book illustration, gentle washes, visible paper grain, loose edges",
    "gouache": "opaque gouache painting, flat matte colour areas, visible brush strokes, rich and warm",
    "cut-paper": "cut-paper collage, layered flat paper shapes with soft drop shadows, crisp edges",
    "claymation": "claymation style, sculpted plasticine characters and sets, soft studio lighting",
    "chibi": "cute chibi style, big heads, small bodies, clean outlines, bright flat colours",
    "crayon": "wax crayon drawing, textured strokes on paper, playful and hand-made",
    "miniature-diorama": "miniature diorama, tiny handcrafted set photographed with shallow depth of field",
    "3d-animated": "3D animated film style, soft global illumination, rounded friendly shapes",
}


def describe_character(character: CharacterLook) -> str:
    parts = [f"{character.name}: a {character.body}"]
    if character.colours:
        parts.append("colours " + ", ".join(character.colours))
    if character.clothing:
        parts.append("wearing " + character.clothing)
    if character.props:
        parts.append("carrying " + ", ".join(character.props))
    if character.description:
        parts.append(character.description)
    return "; ".join(parts)


# A picture refused by the image model's safety filter is asked for again with these words first.
GENTLE = ("A gentle, cheerful picture for young children: everyone is safe, calm and friendly; nothing scary, "
          "sad, violent or dangerous is shown.")


def build_prompt(request: IllustrationRequest) -> str:
    style = STYLE_WORDS[request.style]
    lines: list[str] = [GENTLE] if request.gentle else []
    if request.kind == "character_sheet":
        character = request.characters[0]
        lines.append(
            f"Character reference sheet of {describe_character(character)}. Four full-body views side by side: "
            "front, three-quarter, side and back, same size, same outfit and colours in every view, "
            "on a plain white background with nothing else."
        )
    else:
        if request.kind == "cover":
            lines.append("Picture-book cover illustration with calm space at the top for a title added later.")
        else:
            lines.append("Picture-book page illustration; keep the bottom fifth calm and simple, the story text goes there later.")
        if request.prompt:
            lines.append(request.prompt.strip())
        scene = request.scene
        where = ", ".join(
            part for part in (scene.setting, scene.time_of_day, scene.sky, scene.ground and f"ground: {scene.ground}") if part
        )
        if where:
            lines.append(f"Scene: {where}.")
        if scene.elements:
            lines.append("In view: " + ", ".join(scene.elements) + ".")
        for character in request.characters:
            lines.append(
                f"{describe_character(character)}; {character.expression}, {character.pose}."
            )
        if request.shot or request.composition:
            lines.append(f"Shot: {' '.join(p for p in (request.shot, request.composition) if p)}.")
        if request.references:
            labels = ", ".join(ref.label for ref in request.references if ref.label)
            lines.append(
                "Keep every character exactly as in the reference images"
                + (f" ({labels})" if labels else "")
                + ": same face, body, colours and clothes."
            )
    lines.append(f"Style: {style}.")
    if request.palette:
        lines.append("Palette: " + ", ".join(request.palette) + ".")
    lines.append(NO_TEXT)
    return "\n".join(lines)
