"""The order of names: hicov.collate_key and the order units come in.

The rules (csrc/core/collate.c, checked against ICU's "vi" collator in
tests/c/test-collate.c): letters in the Vietnamese alphabet, then tones,
then case, numbers by value, NFC and NFD alike, whatever the locale."""

import locale
import random
import unicodedata

import pytest

import hicov

key = hicov.collate_key


def test_the_issues_examples():
    names = ["Bình Gia", "Bắc Sơn", "Hoàng", "Hòa", "Phường 10", "Phường 2",
             "Ea Súp", "Đình Lập", "Dương", "Duy Tiên", "Xã 10", "Xã 2"]
    assert sorted(names, key=key) == [
        "Bắc Sơn", "Bình Gia",          # ă before i
        "Duy Tiên", "Dương",            # u before ư
        "Đình Lập",                     # đ after every d, before e
        "Ea Súp",
        "Hòa", "Hoàng",                 # fewer letters first; tones weigh less
        "Phường 2", "Phường 10",        # numbers by value
        "Xã 2", "Xã 10"]


def test_alphabet_tones_and_case():
    alphabet = "a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y".split()
    shuffled = alphabet[:]
    random.Random(1).shuffle(shuffled)
    assert sorted(shuffled, key=key) == alphabet
    # none, huyền, hỏi, ngã, sắc, nặng
    assert sorted(["má", "mạ", "mà", "ma", "mã", "mả"], key=key) == \
        ["ma", "mà", "mả", "mã", "má", "mạ"]
    # case only where letters and tones are equal
    assert sorted(["Hoa", "hoà", "HOA", "hoa"], key=key) == \
        ["hoa", "Hoa", "HOA", "hoà"]
    # a tone on an earlier letter weighs more (as ICU: no French accents)
    assert key("hoà") < key("hòa")


def test_nfc_and_nfd_sort_alike():
    for name in ["Hòa Bình", "Đắk Lắk", "Nghệ An", "Ngọc Hồi", "Lường"]:
        nfd = unicodedata.normalize("NFD", name)
        assert nfd != name
        # equal but for the bytes, the last thing the key looks at
        a, b = key(name), key(nfd)
        assert a != b and a.rsplit(b"\x01", 1)[0] == b.rsplit(b"\x01", 1)[0]
    hoa_binh = [key("Hòa Bình"), key(unicodedata.normalize("NFD", "Hòa Bình"))]
    for k in hoa_binh:
        assert key("Hoa Bình") < k < key("Hoàng")


def test_keys_are_bytes_and_differ_for_different_names():
    k = key("Bắc Sơn")
    assert isinstance(k, bytes) and b"\0" not in k
    assert key("Xã 02") != key("Xã 2")          # equal numbers: bytes decide
    assert key("Xã 02") < key("Xã 2") < key("Xã 3")
    assert key("") < key(" ") < key("0") < key("a")
    long = "Xã " * 300
    assert key(long) < key(long + "a")
    with pytest.raises(ValueError):
        key("a\0b")
    with pytest.raises(TypeError):
        key(b"a")


def test_independent_of_the_locale():
    names = ["Đình Lập", "Bình Gia", "Bắc Sơn", "Ea", "Dương"]
    expected = sorted(names, key=key)
    old = locale.setlocale(locale.LC_ALL)
    try:
        for loc in ("C", "C.UTF-8", "vi_VN.UTF-8", "en_US.UTF-8"):
            try:
                locale.setlocale(locale.LC_ALL, loc)
            except locale.Error:
                continue
            assert sorted(names, key=key) == expected, loc
    finally:
        locale.setlocale(locale.LC_ALL, old)


def test_random_names_nfd_sorts_as_nfc(seed):
    """Keyed sort of random Vietnamese names gives the same sequence for
    their NFC and their NFD forms (no two differ only by leading zeros)."""
    rng = random.Random(seed)
    onsets = ["", "b", "c", "ch", "d", "đ", "gi", "h", "kh", "l", "m", "n",
              "ng", "nh", "ph", "qu", "t", "th", "tr", "v", "x"]
    nuclei = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
              "oa", "uô", "ươ", "iê"]
    tones = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]
    names = set()
    while len(names) < 2000:
        words = []
        for _ in range(rng.randint(1, 3)):
            w = (rng.choice(onsets) + rng.choice(nuclei) + rng.choice(tones)
                 + rng.choice(["", "n", "ng", "c", "t", "m"]))
            words.append(w.capitalize() if rng.random() < 0.7 else w)
        if rng.random() < 0.2:
            words.append(str(rng.randint(1, 30)))
        names.add(unicodedata.normalize("NFC", " ".join(words)))
    nfc = sorted(names, key=key)
    nfd = sorted((unicodedata.normalize("NFD", n) for n in names), key=key)
    assert [unicodedata.normalize("NFC", n) for n in nfd] == nfc


def test_units_come_in_vietnamese_order(demo):
    # Lạng Sơn's districts in 2024 (ids in the demo: 20D01-20D11); byte
    # order put Huyện Bình Gia first and Huyện Đình Lập last.
    children = demo.children("20", period=2024)
    names = dict(zip(demo.units()["code"], demo.units()["name"]))
    assert [names[c] for c in children] == [
        "Huyện Bắc Sơn", "Huyện Bình Gia", "Huyện Cao Lộc", "Huyện Chi Lăng",
        "Huyện Đình Lập", "Huyện Hữu Lũng", "Huyện Lộc Bình",
        "Huyện Tràng Định", "Huyện Văn Lãng", "Huyện Văn Quan",
        "Thành phố Lạng Sơn"]
    t = demo.table("coverage_rate", 2024, level="district", parent="20")
    assert t["name"].tolist() == [names[c] for c in children[:-1]] + \
        ["Thành phố Lạng Sơn"]
    # communes of 2025: Hòa, Hoàng, Hồng, Hưng (o, oa, ô, ư)
    t = demo.table("coverage_rate", 2025, level="commune", parent="20")
    got = [n for n in t["name"] if n.startswith("Xã H")]
    assert got == ["Xã Hòa Thành", "Xã Hoàng Thịnh", "Xã Hồng Lập",
                   "Xã Hưng Lạc"]
    assert t["name"].tolist() == sorted(t["name"], key=key)
