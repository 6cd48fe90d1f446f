"""The languages Bookbug writes books in, and the few words its printed pages add themselves.

A book is written in one language, named in the brief by its ISO 639-1 code (none: English).
The PDF's typefaces cover three scripts: Latin, Cyrillic and Greek (bookbug/publishing/fonts.py);
every language here is written in one of them. The offline writer writes English only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Script = Literal["Latin", "Cyrillic", "Greek"]
LanguageCode = Literal["en", "es", "fr", "de", "it", "pt", "nl", "pl", "sv", "ru", "uk", "bg", "el"]
ENGLISH = "en"


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in English, for prompts
    native: str  # as its readers call it
    script: Script
    story_for: str  # "a story for {name}" on the cover and the title page
    the_end: str
    made_for: str  # "Made with love for {name}" on the closing page
    author_line: str  # "written and illustrated with Bookbug"


LANGUAGES: dict[str, Language] = {language.code: language for language in (
    Language("en", "English", "English", "Latin", "a story for {name}", "The End", "Made with love for {name}",
             "written and illustrated with Bookbug"),
    Language("es", "Spanish", "español", "Latin", "un cuento para {name}", "Fin", "Hecho con cariño para {name}",
             "escrito e ilustrado con Bookbug"),
    Language("fr", "French", "français", "Latin", "une histoire pour {name}", "Fin", "Fait avec amour pour {name}",
             "écrit et illustré avec Bookbug"),
    Language("de", "German", "Deutsch", "Latin", "eine Geschichte für {name}", "Ende", "Mit Liebe gemacht für {name}",
             "geschrieben und illustriert mit Bookbug"),
    Language("it", "Italian", "italiano", "Latin", "una storia per {name}", "Fine", "Fatto con amore per {name}",
             "scritto e illustrato con Bookbug"),
    Language("pt", "Portuguese", "português", "Latin", "uma história para {name}", "Fim",
             "Feito com carinho para {name}", "escrito e ilustrado com Bookbug"),
    Language("nl", "Dutch", "Nederlands", "Latin", "een verhaal voor {name}", "Einde", "Met liefde gemaakt voor {name}",
             "geschreven en geïllustreerd met Bookbug"),
    Language("pl", "Polish", "polski", "Latin", "opowieść dla {name}", "Koniec", "Z miłością dla {name}",
             "napisane i zilustrowane z Bookbug"),
    Language("sv", "Swedish", "svenska", "Latin", "en saga för {name}", "Slut", "Gjord med kärlek till {name}",
             "skriven och illustrerad med Bookbug"),
    Language("ru", "Russian", "русский", "Cyrillic", "сказка для {name}", "Конец", "Сделано с любовью для {name}",
             "написано и нарисовано с Bookbug"),
    Language("uk", "Ukrainian", "українська", "Cyrillic", "казка для {name}", "Кінець", "Зроблено з любов'ю для {name}",
             "написано й намальовано з Bookbug"),
    Language("bg", "Bulgarian", "български", "Cyrillic", "приказка за {name}", "Край", "Направено с любов за {name}",
             "написано и илюстрирано с Bookbug"),
    Language("el", "Greek", "ελληνικά", "Greek", "μια ιστορία για {name}", "Τέλος", "Φτιαγμένο με αγάπη για {name}",
             "γραμμένο και εικονογραφημένο με το Bookbug"),
)}
SCRIPTS: tuple[Script, ...] = ("Latin", "Cyrillic", "Greek")


def language_of(code: str | None) -> Language:
    """The language a code names; English for none (or one Bookbug does not write in)."""
    return LANGUAGES.get(code or ENGLISH, LANGUAGES[ENGLISH])


def supported_list() -> str:
    """The languages, for a prompt or a sentence: "English (en), Spanish (es), ..."."""
    return ", ".join(f"{language.name} ({language.code})" for language in LANGUAGES.values())
