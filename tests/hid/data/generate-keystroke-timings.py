#!/usr/bin/env python3
"""Writes keystroke-timings.json: modelled key-press timings of handheld scanners and of people.

The models and the published figures behind them are in README.md. The seed is fixed, so running
this again reproduces the committed file exactly; change a model here, never the JSON by hand.

Usage: generate-keystroke-timings.py > keystroke-timings.json
"""

import json
import random
import sys

MAX_GAP_MS = 35  # HidBurstParser::Settings::maxGapMs, for the sanity checks below
MIN_DIGITS = 8

rng = random.Random(20240611)


def gtin_check(body):
    """The GS1 check digit for the digits of a GTIN without its check digit."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def gtin(body):
    return body + gtin_check(body)


def bad_check(code):
    return code[:-1] + str((int(code[-1]) + 3) % 10)


# --- scanners -----------------------------------------------------------------------------------
# A keyboard-wedge scanner sends each character as a key-down report followed by an all-keys-up
# report (otherwise "00" would be one key held down), one report per interrupt poll: a character
# every 2 x bInterval ms. The host adds jitter when it delivers them (evdev, compositor, the Qt
# event loop): a few ms either way, and now and then two keys handled in one loop iteration.

def scanner_gaps(count, per_char_ms, jitter_ms, batching=0.0):
    gaps = []
    owed = 0  # a key handled late makes the next gap shorter by as much
    for _ in range(count):
        gap = per_char_ms + rng.randint(-jitter_ms, jitter_ms) - owed
        owed = 0
        if rng.random() < batching:
            late = rng.randint(3, 12)
            gap += late
            owed = late
        gaps.append(max(0, gap))
    return gaps


def keys(text, gaps, enter=True, enter_gap=None, first_gap=0):
    """[[key, ms since previous press], ...]; the first key's gap is first_gap."""
    tokens = list(text) + (["Enter"] if enter else [])
    all_gaps = [first_gap] + list(gaps)
    if enter and enter_gap is not None:
        all_gaps[len(text)] = enter_gap
    assert len(all_gaps) == len(tokens), (text, len(all_gaps), len(tokens))
    return [[t, g] for t, g in zip(tokens, all_gaps)]


def scan(code, sequence_keys, name, model, valid=True, extra=None):
    entry = {
        "name": name,
        "source": "scanner",
        "model": model,
        "keys": sequence_keys,
        "scans": [{"digits": code, "productCode": valid}] if code else [],
    }
    if extra:
        entry.update(extra)
    return entry


sequences = []

ean13_a = gtin("490123456789")
ean13_b = gtin("456995432101")
ean13_c = gtin("497101234500")
ean8 = gtin("4901234")
upca = gtin("03600029145")
gtin14 = gtin("1490123456789")
upce = "04252614"  # UPC-E 0 425261 4, which stands for UPC-A 042100005264


def scanner(code, per_char_ms, jitter_ms, name, model, batching=0.0, valid=True):
    """A scanner's burst of `code` and Enter, as scan() records it."""
    return scan(code, keys(code, scanner_gaps(len(code), per_char_ms, jitter_ms, batching)), name, model, valid)


sequences.append(scanner(ean13_a, 2, 1, "scanner-usb-1ms-ean13",
                         "full-speed HID, bInterval 1 ms: a character every 2 ms, host jitter +-1 ms"))
sequences.append(scanner(ean13_b, 8, 2, "scanner-usb-4ms-ean13",
                         "bInterval 4 ms: a character every 8 ms, host jitter +-2 ms"))
sequences.append(scanner(upca, 16, 3, "scanner-usb-8ms-upca",
                         "bInterval 8 ms: a character every 16 ms, host jitter +-3 ms; UPC-A sent as 12 digits"))
sequences.append(scanner(ean8, 20, 5, "scanner-usb-10ms-ean8",
                         "low-speed HID keyboard, bInterval 10 ms taken as is (hosts may round it down to 8): "
                         "a character every 20 ms, host jitter +-5 ms; the slowest default a scanner has"))
sequences.append(scanner(gtin14, 2, 1, "scanner-gtin14",
                         "a GTIN-14 (ITF-14 on a carton) at bInterval 1 ms: the longest product code"))
sequences.append(scanner(upce, 8, 2, "scanner-upce-as-8-digits",
                         "UPC-E transmitted as read (number system, six digits, check digit), bInterval 4 ms"))
sequences.append(scanner(ean13_c, 16, 2, "scanner-event-loop-batching",
                         "bInterval 8 ms with the application's event loop now and then late by 3-12 ms: "
                         "one gap longer, the next one shorter (down to 0 ms)", batching=0.3))
sequences.append(scanner(ean13_a, 15, 8, "scanner-bluetooth-hid",
                         "Bluetooth HID scanner: a report per connection event, 7.5 ms apart at best, press and "
                         "release per character, with radio retries as jitter +-8 ms"))
sequences.append(scanner(bad_check(ean13_b), 8, 2, "scanner-bad-check-digit",
                         "an EAN-13 whose check digit is wrong (a scanner with check-digit verification off "
                         "reading a damaged label): a scan for the parser, no product code", valid=False))

hiccup = scanner_gaps(13, 8, 2)
hiccup[6] = 61  # before the 8th digit: the first seven are given back, the rest is too short
sequences.append(scan(None, keys(ean13_c, hiccup),
                      "scanner-hiccup",
                      "bInterval 4 ms with one 61 ms stall after the 7th digit (the host busy, a USB retry): "
                      "not a scan, every key given back in order"))

delayed = [56 + d for d in scanner_gaps(13, 0, 3)]
sequences.append(scan(None, keys(ean13_a, delayed),
                      "scanner-intercharacter-delay-40ms",
                      "a scanner configured with a 40 ms intercharacter delay (settable 0-990 ms) on top of "
                      "bInterval 8 ms: indistinguishable from fast typing, so not a scan; kiosks keep the "
                      "scanner's default of no delay"))

alnum = "SKU" + "482913" + "0056"
sequences.append(scan(None, keys(alnum, scanner_gaps(len(alnum), 2, 1)),
                      "scanner-code128-alphanumeric",
                      "a Code 128 in-store label with letters, bInterval 1 ms: its digits follow letters "
                      "without a pause, so no burst starts; typed as it is"))

two = keys(ean13_a, scanner_gaps(13, 2, 1)) + keys(ean8, scanner_gaps(8, 2, 1), first_gap=420)
entry = scan(None, two, "scanner-two-scans",
             "two labels scanned 420 ms apart (the fastest re-aim and trigger), bInterval 1 ms")
entry["scans"] = [{"digits": ean13_a, "productCode": True}, {"digits": ean8, "productCode": True}]
sequences.append(entry)

after_person = keys("ok", [260], enter=False) + keys(ean13_b, scanner_gaps(13, 8, 2), first_gap=640)
entry = scan(None, after_person, "scanner-after-typing",
             "a person types two letters, then scans 640 ms later, bInterval 4 ms")
entry["scans"] = [{"digits": ean13_b, "productCode": True}]
sequences.append(entry)


# --- people -------------------------------------------------------------------------------------
# Inter-key intervals of people: average typists about 240 ms (50 words a minute, 5 keys a word),
# fast ones about 120 ms, the fastest letter pairs of fast typists 40-60 ms. Rollover - the next
# key down before the previous one is up - puts two presses a few ms apart (20-70 % of keystrokes
# of the fastest typists). Numeric-keypad operators: 8,000-12,000 keys an hour for skilled ones
# (300-450 ms a key), 18,000-20,000 for the best (180-200 ms a key), faster within a number.

def person_gaps(count, mean_ms, sd_ms, floor_ms, rollover=0.0):
    gaps = []
    previous_rolled = False
    for _ in range(count):
        if not previous_rolled and rng.random() < rollover:
            gap = rng.randint(2, 25)   # second key of a rollover pair
            previous_rolled = True
        else:
            gap = max(floor_ms, int(rng.gauss(mean_ms, sd_ms)))
            previous_rolled = False
        gaps.append(gap)
    return gaps


def person(text, gaps, name, model, enter=True, enter_gap=None, keypad=False):
    entry = {
        "name": name,
        "source": "person",
        "model": model,
        "keys": keys(text, gaps, enter=enter, enter_gap=enter_gap),
        "scans": [],
    }
    if keypad:
        entry["keypad"] = True
    return entry


sequences.append(person(ean13_a, person_gaps(13, 240, 90, 90),
                        "person-average-digits",
                        "an average typist (about 240 ms a key) copies a 13-digit JAN from a label"))
sequences.append(person(ean13_b, person_gaps(13, 180, 60, 60, rollover=0.15),
                        "person-numpad-operator-ean13", keypad=True,
                        model="a skilled 10-key operator at about 18,000 keys an hour, some rollover pairs"))
sequences.append(person(ean8, person_gaps(8, 110, 35, 40, rollover=0.35), "person-fastest-numpad-ean8",
                        keypad=True, enter_gap=9,
                        model="the fastest numpad entry: about 110 ms a key, a rollover pair in three, and "
                              "Enter rolled over 9 ms after the last digit"))
sequences.append(person(gtin14, person_gaps(14, 120, 40, 40, rollover=0.4), "person-fast-typist-gtin14",
                        model="a fast typist (about 120 ms a key, 100 words a minute) with heavy rollover "
                              "types 14 digits on the top row"))

rollover_pairs = []
for i in range(12):
    rollover_pairs.append(rng.randint(3, 12) if i % 2 == 1 else rng.randint(140, 220))
sequences.append(person(upca, rollover_pairs, "person-rollover-pairs",
                        "every second digit lands 3-12 ms after the one before (rollover), pairs 140-220 ms "
                        "apart: six two-key bursts, none a scan"))

triples = []
for i in range(13):
    triples.append(rng.randint(8, 30) if i % 3 != 0 else rng.randint(150, 260))
sequences.append(person(ean13_c, triples, "person-rollover-triples", keypad=True,
                        model="three-key rolls on the numpad (two gaps of 8-30 ms, then 150-260 ms): the "
                              "longest fast runs people make, still far from eight"))

sequences.append(person("", [], "person-enter-alone", "Enter pressed on its own", enter=True))

sequences.append(person("a1b2c3d4e5f6", person_gaps(12, 200, 60, 60, rollover=0.2),
                        "person-letters-interleaved",
                        "letters and digits alternating, about 200 ms a key, some rollover", enter=True))

phone = "tel09012345678"
sequences.append(person(phone, person_gaps(len(phone), 150, 50, 45, rollover=0.25), "person-letters-then-digits",
                        "a fast typist types a word then an 11-digit phone number, about 150 ms a key"))

slow_digits_fast_enter = person_gaps(8, 230, 70, 90)
sequences.append(person(ean8, slow_digits_fast_enter, "person-digits-then-quick-enter", enter_gap=14,
                        model="eight digits at an average pace, then Enter rolled over 14 ms after the last "
                              "digit: one held digit and Enter within the gap, not a scan"))

card = "4111111111111111"
groups = [rng.randint(240, 320) if (i + 1) % 4 == 0 else rng.randint(70, 100) for i in range(16)]
sequences.append(person(card, groups, "person-grouped-long-number", keypad=True,
                        model="a 16-digit number keyed in groups of four: 70-100 ms within a group (the "
                              "fastest same-hand runs), 240-320 ms between groups; longer than any GTIN"))


# --- checks on the models themselves ------------------------------------------------------------
for s in sequences:
    gaps = [g for _, g in s["keys"][1:]]
    assert all(g >= 0 for g in gaps), s["name"]
    if s["source"] == "person":
        run = longest = 0
        for g in gaps:
            run = run + 1 if g <= MAX_GAP_MS else 0
            longest = max(longest, run)
        # People roll over two or three keys; a model that makes eight in a row is not modelling people.
        assert longest < MIN_DIGITS - 1, (s["name"], longest)

document = {
    "about": "Key-press timings of handheld barcode scanners and of people, modelled on published figures "
             "(see README.md; generated by generate-keystroke-timings.py). keys: [key, ms since the "
             "previous press]; a key is one character or \"Enter\". scans: what a burst parser must "
             "find, in order, and whether each names a product; people's sequences find none.",
    "sequences": sequences,
}


def dump(doc):
    # One sequence's keys on one line keeps the file readable and its diffs small.
    compact = {}
    for i, sequence in enumerate(doc["sequences"]):
        marker = f"@keys{i}@"
        compact[f'"{marker}"'] = json.dumps(sequence["keys"], ensure_ascii=False)
        sequence["keys"] = marker
    text = json.dumps(doc, indent=2, ensure_ascii=False)
    for marker, keys_text in compact.items():
        text = text.replace(marker, keys_text)
    return text + "\n"


sys.stdout.write(dump(document))
