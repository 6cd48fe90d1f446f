"""A Messages API stand-in that answers like Claude asked for a book in Spanish or Russian.

It is `offline_claude` (the offline writer behind the real SDK) plus what a multilingual model
does with Bookbug's prompts, and only when the prompts ask for it:
- the intake prompt states the language rule and the user writes in Spanish or Russian: the
  reply's brief gets that `language`;
- a prompt says "Write in Spanish (español)" / "Write in Russian (русский)": the words the
  reader sees (messages, chips, plot and page titles, page text) are in that language.
The user's answers (chips in that language) are read back into English for the offline writer,
as a model understands them. Each prompt's language instruction is recorded (`asked`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from bookbug.story import Brief
from tests.standins.anthropic import Recorded, Scripted, message_body, tool_use_block
from tests.standins.claude_offline import MARKER, _first_text, offline_claude

WORDS: dict[str, dict[str, Any]] = {
    "es": {
        "name": "Spanish (español)", "request": "español",
        "question": "¿Qué te gustaría para el libro? Elige una opción o escríbeme.",
        "options": ["Opción uno", "Opción dos", "Opción tres", "Opción cuatro", "Opción cinco"],
        "surprise": "¡Sorpréndeme!", "approve": "¡Sí, escríbelo!", "done": "¡Listo! Tu libro ya tiene un plan.",
        "title": "El gran día de {hero}",
        "sentences": ["En la página {n}, {hero} camina despacio por el jardín mágico de la abuela.",
                      "Una mariposa azul sonríe {n} veces y baila cerca de la fuente.",
                      "{hero} cuenta {n} estrellas pequeñas que brillan en el cielo oscuro.",
                      "Después canta {n} canciones alegres con sus amigos del bosque.",
                      "Todos aplauden {n} veces y la luna escucha con mucha atención."],
    },
    "ru": {
        "name": "Russian (русский)", "request": "русском",
        "question": "Что ты хочешь для книги? Выбери вариант или напиши мне.",
        "options": ["Вариант один", "Вариант два", "Вариант три", "Вариант четыре", "Вариант пять"],
        "surprise": "Удиви меня!", "approve": "Да, пиши!", "done": "Готово! У книги есть план.",
        "title": "Большой день: {hero}",
        "sentences": ["На странице {n} {hero} медленно идёт по волшебному саду своей бабушки.",
                      "Синяя бабочка улыбается {n} раз и танцует возле старого фонтана.",
                      "{hero} считает {n} маленьких звёзд, которые ярко сияют в тёмном небе.",
                      "Потом она поёт {n} весёлых песен с друзьями из зелёного леса.",
                      "Все хлопают {n} раз, и луна слушает очень внимательно и тихо."],
    },
}


@dataclass
class Polyglot:
    asked: dict[str, set[str]] = field(default_factory=dict)  # agent name -> language codes its prompts asked for
    back_to_english: dict[str, str] = field(default_factory=dict)  # a chip we wrote -> the offline writer's chip

    def __call__(self, recorded: Recorded) -> Scripted:
        body = recorded.body if isinstance(recorded.body, dict) else {}
        name = (body.get("tools") or [{}])[0].get("name", "")
        text = _first_text(body) if body.get("messages") else ""
        if MARKER not in text:
            return offline_claude(recorded)
        prompt, carried = text.split(MARKER, 1)
        data = json.loads(carried)
        code = next((c for c, w in WORDS.items() if f"Write in {w['name']}" in prompt), None)
        if code:
            self.asked.setdefault(name, set()).add(code)
        if name == "intake_turn":
            code = code or self._asked_for(body, data)
        self._read_back(data)
        answer = offline_claude(self._with_input(recorded, body, prompt, data))
        if code is None or answer.status != 200:
            return answer
        output = answer.body["content"][0]["input"]
        self._translate(name, output, code, data)
        return Scripted(200, message_body([tool_use_block(name, output)], stop_reason="tool_use"))

    def _asked_for(self, body: dict[str, Any], data: dict[str, Any]) -> str | None:
        """The language the user writes in, when the intake's system prompt has the language rule."""
        system = body.get("system")
        system = system if isinstance(system, str) else json.dumps(system, ensure_ascii=False)
        turns = [t for t in data.get("conversation") or [] if t.get("role") == "user"]
        if "set language to its code" not in system or not turns:
            return None
        return next((c for c, w in WORDS.items() if w["request"] in turns[-1]["content"]), None)

    def _read_back(self, data: dict[str, Any]) -> None:
        for turn in data.get("conversation") or []:
            if turn.get("role") == "user":
                english = self.back_to_english.get(turn["content"])
                if english is not None:
                    turn["content"] = english
                elif any(w["request"] in turn["content"] for w in WORDS.values()):
                    turn["content"] = "Hello"  # the request for a language itself answers no question
        if isinstance(data.get("reply"), str) and data["reply"] in self.back_to_english:
            data["reply"] = self.back_to_english[data["reply"]]

    @staticmethod
    def _with_input(recorded: Recorded, body: dict[str, Any], prompt: str, data: dict[str, Any]) -> Recorded:
        messages = [{"role": "user", "content": prompt + MARKER + json.dumps(data, ensure_ascii=False)}]
        return Recorded(**{**recorded.__dict__, "body": {**body, "messages": messages}})

    def _chips(self, chips: list[str], words: dict[str, Any]) -> list[str]:
        ours = []
        for index, chip in enumerate(chips):
            mine = words["surprise"] if chip == "Surprise me!" else words["options"][index]
            self.back_to_english[mine] = chip
            ours.append(mine)
        return ours

    def _translate(self, name: str, output: dict[str, Any], code: str, data: dict[str, Any]) -> None:
        words = WORDS[code]
        if name == "intake_turn":
            output["brief"]["language"] = code
            output["message"] = words["done"] if output.get("done") else words["question"]
            output["chips"] = self._chips(output.get("chips") or [], words)
            if output["brief"].get("title"):
                output["brief"]["title"] = None
        elif name in ("plot_proposal", "plot_review"):
            hero = (Brief.model_validate(data["brief"]).hero or Brief().hero)
            output["plot"]["title"] = words["title"].format(hero=hero.name if hero else "Mía")
            output["message"] = words["question"]
            output["change_chips"] = self._chips(output.get("change_chips") or [], words)
            output["approval_chip"] = words["approve"]
            self.back_to_english[words["approve"]] = "Yes, write it!"
        elif name == "prose_page":
            brief = Brief.model_validate(data["brief"])
            output["text"] = page_text(words["sentences"], brief, int(output["page_number"]))
            output["summary"] = output["text"]


def page_text(sentences: list[str], brief: Brief, number: int) -> str:
    """Sentences of the language for page `number`, within the book's text limits."""
    from bookbug.story.reading_level import count_sentences, count_words

    limits = brief.text_limits
    hero = brief.hero.name if brief.hero else "Mía"
    text = ""
    for index in range(len(sentences)):
        sentence = sentences[(number + index) % len(sentences)].format(hero=hero, n=number)
        longer = f"{text} {sentence}".strip()
        if count_words(longer) > limits.max_words or count_sentences(longer) > limits.max_sentences:
            break
        text = longer
        if count_words(text) >= limits.min_words and count_sentences(text) >= limits.min_sentences:
            break
    return text
