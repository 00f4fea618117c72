#!/usr/bin/env python3
"""Generate tests/fixtures/mojibake/cases.tsv: a labelled mojibake corpus for src/text/mojibake.rs.

Deterministic, no dependencies. Every sentence below was written for this corpus (fictional people,
places and projects). Output columns: kind<TAB>expected<TAB>input, one case per line, UTF-8.

Kinds:
  cp1252x1   UTF-8 bytes decoded as Windows-1252 once
  cp1252x2   ... twice (the garbled text re-encoded as UTF-8 and decoded as cp1252 again)
  macroman1  UTF-8 bytes decoded as MacRoman once
  macroman2  ... twice
  latin1x1   UTF-8 bytes decoded as ISO-8859-1 once
  mixed      clean text in which exactly one word was garbled (cp1252 and MacRoman alternate)
  negative   correct text that must come back unchanged

Encoding decisions:
  * cp1252 is decoded "sloppily" like ftfy's sloppy-windows-1252: the five bytes cp1252 leaves
    undefined (0x81 0x8D 0x8F 0x90 0x9D) pass through as the C1 controls U+0081 etc.; without that,
    strings containing e.g. Á (C3 81) or ⏫ (E2 8F AB) could not be represented at all.
  * latin-1 maps 0x80-0x9F to invisible C1 control characters. They are kept in the input (as
    Python's latin-1 codec produces them) rather than dropped; a latin-1 variant is only emitted
    when it differs from the cp1252 one, i.e. when the UTF-8 bytes contain 0x80-0x9F (otherwise
    the two are byte-identical and the row would be a duplicate).
  * MacRoman is Python's mac_roman (0xDB = €, 0xF0 = Apple logo U+F8FF); all 256 bytes map, so no
    MacRoman variant is ever skipped.
  * A variant is skipped when it equals the clean text (pure ASCII) or contains a tab/newline.
"""
import os
import sys

CLEAN = [
    # names with accents
    "José Ortega-Lindqvist",
    "Zoë Marchetti",
    "Ångström units, says Dr. Ærøe",
    "Łódź office: Paweł Wróblewski",
    "François Dubé-Lacroix",
    "Søren Hjørnholm",
    "Mihály Szőke",
    "Çağla Yıldırım",
    "Nuño Peña y Ibáñez",
    "Dvořák Tomášek",
    "Björk Guðmundsdóttir-Vey",
    "Ines Gonçalves",
    "Renée O’Malley",
    "Željko Kovačić",
    "Ștefan Mărginean",
    # curly quotes, dashes, ellipses
    "Robin’s team owns the blob-source connector",
    "Priya’s retro notes — action items inside",
    "“Ship it,” said Marguerite, “but not on Friday.”",
    "Wait for the vendor… then escalate",
    "Q3 planning – draft 2",
    "It’s the ‘quiet’ week before launch",
    "Budget: €12,500 – approved",
    "Price went from £40 to £55… again",
    "Temperature in the lab: 21 °C ± 0.5",
    "Mix ½ cup oats with ¼ cup water",
    "© 2024 Halvorsen & Quist. All rights reserved.",
    "Nestlé® partnership — status unclear",
    "Acme™ renewal due in March",
    "Section § 4.2 applies",
    "Room 3 • Building C • Floor 2",
    # emoji and task metadata
    "- [ ] Send the board deck to Tomasz 📅 2025-11-04 🔺 #task",
    "- [ ] Book travel for offsite 📅 2025-12-01 ⏫ #task",
    "- [x] Migrate wiki search ✅ 2025-09-18",
    "Great demo today 🙂",
    "Deploy window 🚀 opens at 09:00",
    "Reminder ⏰ standup moved",
    "🔥 incident review with Oyelaran",
    "Bug triage 🐛 every Tuesday",
    "Coffee ☕ with Inés at 3pm",
    "Weekly goals 🎯: hire, ship, rest",
    "📌 pinned: onboarding checklist",
    "⚠️ Do not rotate keys on Monday",
    "👍 agreed with Halima’s proposal",
    # CJK, Greek, Cyrillic, other scripts
    "会議メモ: 東京オフィス",
    "項目の進捗 — 田中さん",
    "회의 노트 정리",
    "上海 team sync",
    "Ελένη’s notes on caching",
    "Σχέδιο για το Q4",
    "Заметки о проекте Волна",
    "Встреча с Олегом — пятница",
    "α-helix vs β-sheet summary",
    "Δt ≈ 40 ms per frame",
    "Latency ≤ 200 ms, ≥ 99.9% uptime",
    "x ≠ y unless ∑ wᵢ = 1",
    "Straße der Pläne in Köln",
    "Crème brûlée for the déjà vu dinner",
    "Ça marche très bien, merci !",
    "Naïve Bayes baseline — coöperation tag",
    "São Tomé field trip",
    "Çok güzel: İzmir’de buluşalım",
    "Phở bò tại Hà Nội",
    "Kraków → Gdańsk sleeper train",
    "Mañana revisamos el diseño",
    "Über-cool Fußball night",
    "Ørsted’s offshore ÆØÅ test",
    "Résumé of Élodie Ferré",
    "ÉCOLE DES BEAUX-ARTS",
    "ÜBERGABE AN JÜRGEN",
    "Größe: 42 • Farbe: Grün",
    "Árvíztűrő tükörfúrógép leírás",
    "Hyvää päivää, Äänekoski",
    "Ísafjörður: þing og ráð",
    "Tiếng Việt có dấu",
    "Notes on the Œuvre of Amélie",
    "Smörgåsbord • Fika • Lördag",
    "The “Ünal” account is at risk",
    "Sprint 14 retro — what went well ✨",
    "Kofi’s idea: don’t over-index on NPS",
    "Quote: «Le temps, c’est de l’argent»",
    "Line 1 → Line 2 ⇒ done",
    "Deadline: 30 Sept ✔",
]

# Correct text that must be left alone. Several are deliberately shaped like mojibake.
NEGATIVE = [
    "José said the café opens at nine",
    "Zoë and Chloë reviewed the draft",
    "Ångström is a unit of length",
    "Łódź and Wrocław offices",
    "SÃO PAULO – ESCRITÓRIO CENTRAL",
    "VISITA A SÃO JOÃO DEL-REI",
    "INFORMAÇÕES DA REUNIÃO",
    "MINHA IRMÃ E MINHA MÃE",
    "CAPITÃO NASCIMENTO",
    "Âge moyen des participants",
    "Ânia Albuquerque joined the team",
    "CÂMARA MUNICIPAL",
    "VOCÊ É O RESPONSÁVEL",
    "© 2025 Brightwater Labs",
    "Keep it below 4 °C",
    "Add ½ teaspoon of salt",
    "A naïve approach works here",
    "¿Qué pasó con el informe?",
    "¡Año nuevo, vida nueva!",
    "Costs: £5 — €3 — ¥700",
    "Herzliche Grüße aus Bremen",
    "„Äpfel und Birnen“, sagte Jörg",
    "‚Äpfel‘ ist ein Wort",
    "Viele Grüße”, schrieb sie",
    "GROẞE STRAẞE",
    "l’été dernier, qu’à Paris",
    "C’est l’œuvre d’Élodie",
    "«École nationale»",
    "« École nationale »",
    "«À bientôt»",
    "“Émile” is the codename",
    "Tu es allé…»",
    "Ela disse: é…",
    "Ça va ? Très bien.",
    "Pâtisserie — crème brûlée",
    "Nestlé® and Häagen-Dazs®",
    "MÖTLEY CRÜE tribute night",
    "BJÖRK’S SETLIST",
    "Ørsted, Æbeltoft, Århus",
    "Şükrü Öztürk’s report",
    "İstanbul’da görüşürüz",
    "Știință și tehnologie",
    "Phở và bánh mì",
    "Příliš mnoho úkolů na pátek",
    "Grönländische Ölförderung",
    "Ísafjörður og Þórshöfn",
    "ÞÓRÐUR ÐORRASON",
    "Привет из Новосибирска",
    "Ελληνικά και λατινικά",
    "שלום מתל אביב",
    "مرحبا بالفريق",
    "東京と大阪の会議",
    "프로젝트 일정 공유",
    "Done ✅ — shipped 🚀 — celebrated 🎉",
    "📅 2025-10-30 🔺 ⏫",
    "• first • second • third",
    "x ≤ 5 and y ≥ 2, so x ≈ y ± 3",
    "√2 ≈ 1.414 and ∞ is not a number",
    "Δx → 0 as n → ∞",
    "50 µs latency, 3 × faster",
    "Señor Núñez — mañana",
    "Åsa’s notes on Öland",
    "È vero: l’è così",
    "ÉTÉ 2024 — ÉDITION SPÉCIALE",
    "Ñandú, ÑOQUIS, AÑO",
    "½ price — ¼ off — ¾ done",
    "Guillemets sans espace : «été» et «œuvre»",
    "Sie schrieb »öffentlich« statt »privat«",
    "Köln’ün en iyi kafesi burada",
    "O filme “AMANHÔ estreia hoje",
    "VI SES PÅ…",
    "PÍŠE SE ROK 1998",
    "Ieșire și țară, spuse Ioana",
    "„Éljen!” kiáltotta Zsófi",
    "Küçük bir not: üç madde",
    "Pinyin: mǎ, mà, mā, má",
]


def sloppy_cp1252_table():
    table = []
    for b in range(256):
        try:
            table.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            table.append(chr(b))
    return table


CP1252 = sloppy_cp1252_table()


def as_cp1252(text):
    return "".join(CP1252[b] for b in text.encode("utf-8"))


def as_macroman(text):
    return text.encode("utf-8").decode("mac_roman")


def as_latin1(text):
    return text.encode("utf-8").decode("latin-1")


def garble_one_word(text, index):
    """Garble the last word that contains non-ASCII text; alternate cp1252 / MacRoman."""
    words = text.split(" ")
    for i in reversed(range(len(words))):
        if any(ord(c) > 127 for c in words[i]):
            w = words[i]
            enc = as_cp1252 if index % 2 == 0 else as_macroman
            words[i] = enc(w)
            return " ".join(words)
    return None


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out_path = os.path.join(root, "tests", "fixtures", "mojibake", "cases.tsv")
    rows = []
    for i, clean in enumerate(CLEAN):
        variants = [
            ("cp1252x1", as_cp1252(clean)),
            ("cp1252x2", as_cp1252(as_cp1252(clean))),
            ("macroman1", as_macroman(clean)),
            ("macroman2", as_macroman(as_macroman(clean))),
        ]
        latin = as_latin1(clean)
        if latin != variants[0][1]:
            variants.append(("latin1x1", latin))
        # A mixed case needs correct non-ASCII text around the garbled word, so prefix a
        # correct accented phrase when the sentence has only one non-ASCII word.
        mixed_source = clean if sum(any(ord(c) > 127 for c in w) for w in clean.split(" ")) > 1 else "Zoë: " + clean
        mixed = garble_one_word(mixed_source, i)
        if mixed is not None:
            rows.append(("mixed", mixed_source, mixed))
        for kind, garbled in variants:
            rows.append((kind, clean, garbled))
    for neg in NEGATIVE:
        rows.append(("negative", neg, neg))
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    written = 0
    with open(out_path, "w", encoding="utf-8", newline="\n") as f:
        f.write("kind\texpected\tinput\n")
        for kind, expected, garbled in rows:
            if kind != "negative" and garbled == expected:
                continue
            if any(ch in s for s in (expected, garbled) for ch in "\t\n\r"):
                continue
            f.write(f"{kind}\t{expected}\t{garbled}\n")
            written += 1
    print(f"wrote {written} cases to {os.path.relpath(out_path, root)}", file=sys.stderr)


if __name__ == "__main__":
    main()
