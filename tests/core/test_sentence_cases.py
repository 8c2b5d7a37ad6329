"""Tricky Norwegian sentence ends: quotes, years, abbreviations, ordinals and list items."""

from __future__ import annotations

import re

import pytest

from kasus.nlp.pipeline import segment

# (what the case is about, its text with " ‖ " where one sentence ends and the next begins). The
# text segmented is the case with each " ‖ " read as a space; a line break is an end of its own.
MARK = " ‖ "
CASES: list[tuple[str, str]] = [
    # An opening quote or bracket belongs to the sentence it opens.
    ("guillemet opens next", "Hun sa det. ‖ «Vi sluttet å krangle.»"),
    ("guillemet after quote", "Tiltaket kom i 2015. ‖ «Det var på tide», sa hun."),
    ("low-high quote opens next", "Ansvaret var delt. ‖ „Det gikk bra“, sa hun."),
    ("english quote opens next", "Det var sånn. ‖ “Hvorfor?” spurte han."),
    ("single quote opens next", "Det var slutt. ‖ ‘Aldri mer’, sa hun."),
    ("bracket opens next", "Det er lite. ‖ (Se vedlegg 2.) ‖ Neste punkt er bolig."),
    ("square bracket opens next", "Hun nølte. ‖ [Pause] Så fortsatte hun."),
    ("three quotes in a row",
     "Det er mange i LAR. ‖ «De fleste er eldre», sier hun. ‖ «Noen er unge.»"),
    ("dash of speech opens next", "Det var slutt. ‖ – Vi må videre, sa hun."),
    ("bullet opens next", "Det er bra. ‖ • Neste punkt er bolig."),
    ("two quotes back to back", "Hun sier: «Vi har ikke venteliste.» ‖ «Det er bra.»"),
    ("aside after a quote", "«Det er nok», sier hun. ‖ (Opptaket stoppet her.)"),
    # A closing quote after ?, ! or . ends the sentence only before a capital.
    ("closed quote then capital", "«Hei.» ‖ Hun sa det igjen."),
    ("question in quote, lowercase", "«Hva gjør vi nå?» spurte lederen."),
    ("exclamation in title", "Kurset heter «Mitt liv, mine valg!» og går over seks uker."),
    ("exclamation in quote, lowercase", "«Nei!» ropte hun."),
    ("exclamation in quote, capital", "«Vi er gode!» ‖ Det sa hun."),
    ("colon then quote", "Han sa: «Det går bra.» ‖ Og så gikk han."),
    ("ellipsis then capital", "Vi vet ikke … ‖ Kommunen svarer ikke."),
    # A year, a count or a section number ends a sentence.
    ("year ends", "Det startet i 2018. ‖ Kommunen ansatte to."),
    ("year after month", "Planen ble vedtatt i april 2016. ‖ Fafo evaluerer den."),
    ("year of birth", "Han ble født i 1998. ‖ Nå er han voksen."),
    ("year range ends", "Planen gjelder 2018–2024. ‖ Avdelingen er ny."),
    ("year then digit", "Det var i 2018. ‖ 12 personer fikk tilbud."),
    ("age ends", "Hun fyller 18. ‖ Da blir det verre."),
    ("count ends", "Det var rundt 70. ‖ Hun frykter kutt."),
    ("section ends", "Det står i § 12. ‖ Informanten er enig."),
    ("figure number ends", "Se figur 2.1. ‖ Tallene er usikre."),
    ("number after nr. ends", "Det er sak nr. 3. ‖ Neste sak er bolig."),
    ("chapter number ends", "Han leste kap. 3. ‖ Deretter kom kap. 4."),
    ("bracketed years end", "Det sto i Prop. 1 S (2018–2019). ‖ Den ble vedtatt."),
    ("year after an ordinal", "Dette var i 1. halvår 2019. ‖ Etterpå ble det bedre."),
    ("second year of a period", "Det gjaldt 2016 til 2018. ‖ Bildet er sammensatt."),
    ("report number ends", "Tallene er hentet fra IS-24/8. ‖ Samlede bevilgninger økte."),
    ("footnote number glued", "Tallet kommer fra BrukerPlan10. ‖ Dette er høyt."),
    # Abbreviations that introduce what follows never end a sentence.
    ("Prop. and bill number", "Se Prop. 15 S (2015–2016) om planen."),
    ("Meld. St.", "Dette er Meld. St. 15 (2017–2018) om eldre."),
    ("Prop. inside brackets",
     "Planen kom i november 2015 (Prop. 15 S (2015–2016)) og ble vedtatt i april 2016."),
    ("jf. Prop.", "Det følger av planen, jf. Prop. 1 S (2018–2019) fra regjeringen."),
    ("kap. before a budget chapter",
     "Bevilgningene går over kap. 765 Psykisk helse- og rusarbeid."),
    ("kap.", "Dette står i kap. 4 i planen."),
    ("jf. kap.", "Dette følger av loven (jf. kap. 4) i dag."),
    ("jfr. before lowercase", "Se omtalen (jfr. figur side 5) i rapporten."),
    ("bl.a. before a capital", "Det gjelder bl.a. NAV og DPS."),
    ("f.eks. before a place", "Mange kommuner, f.eks. Oslo og Bergen, har team."),
    ("ca.", "Det kom ca. 100 personer."),
    ("kl.", "Møtet starter kl. 14 i dag."),
    ("nr.", "Det er sak nr. 3 på listen."),
    ("dvs.", "Planen gjelder voksne, dvs. personer over 18 år."),
    ("evt. before a capital", "Ta kontakt med fastlegen eller evt. DPS."),
    ("pga. before a capital", "Tilbudet stengte pga. Covid-19 i fjor."),
    ("St. in a name", "Han jobber på St. Olavs hospital."),
    ("dr. before a name", "Vi snakket med dr. Hansen i går."),
    ("initial", "Prosjektet ledes av Inger L. Hansen i Fafo."),
    # Abbreviations that may close a sentence: an end before a capital, not before a number.
    ("mill. kroner", "Tilskuddet er på 2,4 mill. kroner."),
    ("mrd. kroner", "Det koster 3 mrd. kroner i året."),
    ("pst.", "Andelen økte med 5 pst. fra i fjor."),
    ("mv. mid-sentence", "Det gjelder bolig, arbeid mv. og helse."),
    ("mfl. and year", "Rapporten (Hansen mfl. 2018) kom i fjor."),
    ("et al. and year", "Rapporten (Hansen et al. 2019) kom i fjor."),
    ("osv. ends", "Tiltak som bolig, arbeid osv. ‖ Neste punkt er helse."),
    ("mv. ends", "Det gjelder bolig, arbeid mv. ‖ Det er mye."),
    ("m.m. ends", "Tjenestene omfatter helsestasjoner m.m. ‖ Innenfor seksjonen er det mange."),
    ("etc. ends", "Pengene gikk til møbler etc. ‖ Psykisk helse-teamet flyttet."),
    ("et.al. and year", "Rapporten (Hansen et.al. 2018b) kom i fjor."),
    ("t.o.m. and year", "Avtalen gjelder t.o.m. 2020 for alle."),
    ("month abbreviation", "Møtet er 3. okt. 2019 i Oslo."),
    # Ordinals and list items end nothing.
    ("ordinal date", "Fra 1. januar 2017 er alt nytt."),
    ("ordinal time", "Det var 3. gang vi møttes."),
    ("capitalised month", "Den 17. Mai er det fridag."),
    ("list item", "1. Bolig er viktigst."),
    ("sub-item", "2.3. Tiltak i kommunen"),
    ("list item after a sentence", "Målene er to. ‖ 2. Sikre tidlig hjelp."),
    ("lettered item", "c. ND blir satt som særvilkår."),
    # Plain ends that must stay ends.
    ("acronym ends", "Vi har ikke IPS. ‖ Det burde DPS ta initiativ til."),
    ("question and exclamation", "Hva nå?! ‖ Vi vet ikke!"),
    ("bracket ends", "Ventetiden er lang (ca. tre måneder). ‖ Det er for lenge."),
    ("web address ends", "Les mer på nav.no. ‖ Der står det."),
    ("word named like an abbreviation", "Vi har prøvd alt. ‖ Ingenting hjelper."),
    ("possessive named like min.", "Det er boligen min. ‖ Den er liten."),
    ("line break always ends", "Kommune: Karmøy\nInformant: leder f.eks.\nDato: 1. mars"),
]


def sentences(text: str) -> list[str]:
    return [text[s.start:s.end] for s in segment(text) if s.kind == "sentence"]


@pytest.mark.parametrize("marked", [marked for _, marked in CASES],
                         ids=[why for why, _ in CASES])
def test_sentence_ends(marked: str) -> None:
    expected = [piece.strip() for piece in re.split(f"{MARK}|\n", marked)]
    assert sentences(marked.replace(MARK, " ")) == expected


def test_there_are_enough_distinct_cases() -> None:
    assert len(CASES) >= 40
    assert len({why for why, _ in CASES}) == len({marked for _, marked in CASES}) == len(CASES)
