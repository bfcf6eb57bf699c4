#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets (tests/fuzz/corpus/<target>/).

Valid samples (the shared claims sample, the example resolutions, a small
units/values pair, an ADX export of the demo) and hostile ones (billion
laughs, XXE, deep nesting, truncation, invalid base64, UTF-16, unterminated
quotes, huge numbers).  Re-run after changing the samples:
    tests/fuzz/make-corpus.py [--hicov build/csrc/hicov] [--data tests/data]
The claims-xml target reads a mode byte first (see fuzz-claims-xml.c).
"""
import argparse
import base64
import os
import re
import subprocess
import tempfile

top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ap = argparse.ArgumentParser()
ap.add_argument("--hicov", help="hicov CLI, for the ADX export of the demo")
ap.add_argument("--data", default=os.path.join(top, "tests", "data"))
ap.add_argument("--python", help="folder holding the built hicov module (build/python), "
                "for the dataset states")
args = ap.parse_args()
out = os.path.join(top, "tests", "fuzz", "corpus")


def put(target, name, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
          ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
          ' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n'
          ']>\n<{root}>&lol3;</{root}>\n')
XXE = ('<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">'
       ']>\n<{root}>&x;</{root}>\n')


def deep(root, n=200):
    return "<%s>" % root + "<a>" * n + "x" + "</a>" * n + "</%s>" % root


# ---- units.csv / values.csv ------------------------------------------------
units = ("\ufeffcode,name,parent,level,tier,valid_to,successor,valid_from\r\n"
         "P,\"Tỉnh Thử, mẫu\",,province,,,,\r\n"
         "D1,Huyện Một,P,district,,2025-07-01,,\r\n"
         "A,Xã A,D1,commune,,2025-07-01,N,\r\n"
         "B,Xã B,D1,commune,,2025-07-01,N,\r\n"
         "N,Xã Mới,P,commune,,,,2025-07-01\r\n"
         "F1,Trạm y tế xã A,A,facility,commune,,,\r\n"
         "F2,Bệnh viện huyện,D1,facility,district,,,\r\n")
put("fuzz-units-csv", "valid-fixture.csv", units)

# ---- crosswalk.csv (units: fuzz-crosswalk-csv.c's fixed tree) ----------------
put("fuzz-crosswalk-csv", "valid-split.csv",
    "old,new,share,date,basis\nX1,Y1,0.6,2025-07-01,population\n"
    "X1,Z,0.4,2025-07-01,\nX3,Y2,0.333333,2025-07-15,area\n"
    "X3,Z,0.666667,2025-07-15,households\n")
put("fuzz-crosswalk-csv", "valid-whole.csv", "old,new,share,date\nX2,Y2,1,2025-07-01\n")
put("fuzz-crosswalk-csv", "hostile-shares.csv",
    "old,new,share,date\nX1,Y1,0.6,2025-07-01\nX1,Z,0.5,2025-07-01\n"
    "X2,Y1,1.0000001,2025-07-01\nX2,X2,1,2025-07-01\n")
put("fuzz-crosswalk-csv", "hostile-dates.csv",
    "old,new,share,date\nX1,Y1,0.5,2025-07-01\nX1,Z,0.5,2025-08-01\n"
    "Y1,Z,1,2025-07-01\nM,Y2,1,2025-07-01\nX3,Z,1,2025-02-30\n")
put("fuzz-crosswalk-csv", "hostile-header.csv", "old,new,share\nX1,Y1,1\n")
put("fuzz-units-csv", "valid-minimal.csv", "code,name,parent,level\nVN,Việt Nam,,country\n20,Lạng Sơn,VN,province\n")
put("fuzz-units-csv", "hostile-cycle.csv", "code,name,parent,level\nA,A,B,district\nB,B,A,district\nC,C,C,commune\n")
put("fuzz-units-csv", "hostile-successor-loop.csv",
    "code,name,parent,level,valid_to,successor\nA,A,,province,2025-07-01,B\nB,B,,province,2025-07-01,A\n")
put("fuzz-units-csv", "hostile-unterminated.csv", 'code,name,parent,level\nP,"never closed,,province\n')
put("fuzz-units-csv", "hostile-utf16.csv", units.encode("utf-16"))
put("fuzz-units-csv", "hostile-bad-utf8.csv", b"code,name,parent,level\nP,\xff\xfe\xc3,,province\n")
put("fuzz-units-csv", "hostile-dates.csv",
    "code,name,parent,level,valid_to,valid_from\nP,P,,province,99999-99-99,2025-02-30\n")
put("fuzz-units-csv", "hostile-header-only.csv", "code,name,parent,level")
put("fuzz-units-csv", "hostile-nul.csv", b"code,name,parent,level\nP\x00,x,,province\n")
put("fuzz-units-csv", "hostile-duplicate.csv", "code,name,parent,level\nP,P,,province\nP,Q,,province\n")

values = ("unit,period,measure,value,group,source\n"
          "C1,2024,population,1000,,\n"
          "C1,2024,participants,900,,\n"
          "C1,2024-06,participants,890,,\n"
          "C1,2024,participants,500,DN,\n"
          "C2,2024,population,100,,\n"
          "F1,2024-01,visits,100,,\n"
          "F1,2024-Q1,total_cost,1234567.89,,\"published, 2024\"\n"
          "F2,2023/2024-03,fund_paid,12.5,,\n"
          "P,2023,fund_revenue,99,,\n"
          "D,2024,patients,7,,\n")
put("fuzz-values-csv", "valid-small.csv", values)
put("fuzz-values-csv", "valid-crlf-bom.csv", "\ufeff" + values.replace("\n", "\r\n"))
put("fuzz-values-csv", "hostile-huge.csv",
    "unit,period,measure,value\nC1,2024,population,99999999999999999999999\n"
    "C1,2024,participants,92233720368547758.07\nC2,2024,participants,-92233720368547758.08\n"
    "C1,2024,visits,1e308\nC2,2024,visits,NaN\nF1,2024,visits,1,2\n")
put("fuzz-values-csv", "hostile-overflow-sum.csv",
    "unit,period,measure,value\nC1,2024,total_cost,92233720368547758\nC2,2024,total_cost,92233720368547758\n")
put("fuzz-values-csv", "hostile-unterminated.csv", 'unit,period,measure,value\nC1,"2024,population,1\n')
put("fuzz-values-csv", "hostile-periods.csv",
    "unit,period,measure,value\nC1,1899,population,1\nC1,2024-13,population,1\nC1,2024-Q5,visits,1\n"
    "C1,2025-10/2025-01,visits,1\nC1,2201,visits,1\nZZ,2024,visits,1\nC1,2024,nosuch,1\n")
put("fuzz-values-csv", "hostile-utf16.csv", values.encode("utf-16"))
put("fuzz-values-csv", "hostile-duplicate.csv", "unit,period,measure,value\nC1,2024,population,1\nC1,2024,population,2\n")

# ---- claims ------------------------------------------------------------------
sample = open(os.path.join(args.data, "claims-sample-130.xml"), "rb").read()
inner = [base64.b64decode(m) for m in re.findall(rb"<NOIDUNGFILE>(.*?)</NOIDUNGFILE>", sample, re.S)]
put("fuzz-claims-xml", "0-envelope-sample.xml", b"\0" + sample)
put("fuzz-claims-xml", "2-envelope-sample-split.xml", b"\2" + sample)
for i, doc in enumerate(inner):
    put("fuzz-claims-xml", "1-inner-%d.xml" % i, b"\1" + doc)
recs = [re.search(rb"<TONG_HOP>.*</TONG_HOP>", d, re.S).group(0) for d in inner]
plain = b'<?xml version="1.0" encoding="utf-8"?>\n<DSACH>' + b"\n".join(recs) + b"</DSACH>\n"
put("fuzz-claims-xml", "0-plain.xml", b"\0" + plain)
put("fuzz-claims-xml", "2-plain-split.xml", b"\2" + plain)
r4210 = (b"<TONG_HOP><MA_LK>OLD1</MA_LK><MA_BN>B1</MA_BN><MA_THE>DN4010000000001</MA_THE>"
         b"<T_TONGCHI>100.50</T_TONGCHI><T_BHTT>80</T_BHTT><T_BNCCT>20.50</T_BNCCT>"
         b"<NAM_QT>2019</NAM_QT><THANG_QT>12</THANG_QT><MA_LOAI_KCB>3</MA_LOAI_KCB>"
         b"<NGAY_VAO>201912010800</NGAY_VAO><NGAY_RA>201912050800</NGAY_RA>"
         b"<MA_CSKCB>20001</MA_CSKCB></TONG_HOP>")
put("fuzz-claims-xml", "1-inner-4210.xml", b"\1" + r4210)
put("fuzz-claims-xml", "0-hostile-laughs.xml", b"\0" + LAUGHS.format(root="TONG_HOP").encode())
put("fuzz-claims-xml", "1-hostile-laughs.xml", b"\1" + LAUGHS.format(root="TONG_HOP").encode())
put("fuzz-claims-xml", "0-hostile-xxe.xml", b"\0" + XXE.format(root="GIAMDINHHS").encode())
put("fuzz-claims-xml", "1-hostile-xxe.xml", b"\1" + XXE.format(root="TONG_HOP").encode())
put("fuzz-claims-xml", "0-hostile-deep.xml", b"\0" + deep("GIAMDINHHS").encode())
put("fuzz-claims-xml", "1-hostile-deep.xml", b"\1" + deep("TONG_HOP").encode())
put("fuzz-claims-xml", "0-hostile-truncated.xml", b"\0" + sample[: len(sample) * 2 // 3])
put("fuzz-claims-xml", "1-hostile-truncated.xml", b"\1" + inner[1][:400])
bad64 = re.sub(rb"<NOIDUNGFILE>(.{40})", rb"<NOIDUNGFILE>\1!!*@", sample, count=1)
put("fuzz-claims-xml", "0-hostile-base64.xml", b"\0" + bad64)
put("fuzz-claims-xml", "0-hostile-utf16.xml", b"\0" + sample.decode().replace("utf-8", "utf-16").encode("utf-16"))
put("fuzz-claims-xml", "1-hostile-utf16.xml", b"\1" + inner[0].decode().encode("utf-16"))
put("fuzz-claims-xml", "1-hostile-entities.xml",
    b"\1<TONG_HOP><MA_LK>&#x110000;&#0;&amp;&bogus;</MA_LK><T_BHTT>1&#46;5</T_BHTT><![CDATA[x]]></TONG_HOP>")
put("fuzz-claims-xml", "2-hostile-split-comment.xml",
    b"\2<DSACH><!-- <TONG_HOP> in a comment -->" + recs[0] + b"<![CDATA[<TONG_HOP>]]>" + recs[1] + b"</DSACH>")

# records far apart (read in windows of 64 bytes by the split mode): no
# record at all (XML2 drug lines), a first record with a long field
xml2 = (b'<?xml version="1.0" encoding="utf-8"?>\n<CHITIEU_CHITIET_THUOC><DSACH_CHI_TIET_THUOC>\n'
        + b"".join(b"<CHI_TIET_THUOC><MA_LK>L%d</MA_LK><MA_THUOC>40.%d</MA_THUOC>"
                   b"<SO_LUONG>10</SO_LUONG></CHI_TIET_THUOC>\n" % (i, i) for i in range(30))
        + b"</DSACH_CHI_TIET_THUOC></CHITIEU_CHITIET_THUOC>\n")
put("fuzz-claims-xml", "0-odd-xml2-no-record.xml", b"\0" + xml2)
put("fuzz-claims-xml", "2-odd-xml2-no-record-split.xml", b"\2" + xml2)
long_field = recs[0].replace(b"</MA_LK>", b"</MA_LK><HO_TEN>" + b"Nguyen Van A " * 160 + b"</HO_TEN>", 1)
put("fuzz-claims-xml", "2-odd-long-field-split.xml",
    b'\2<?xml version="1.0"?>\n<DSACH>' + long_field + b"\n".join(recs[1:] * 6) + b"</DSACH>\n")

hdr = ("MA_LK,STT,MA_BN,HO_TEN,MA_THE_BHYT,T_TONGCHI_BV,T_BHTT,T_BNCCT,"
       "NAM_QT,THANG_QT,MA_LOAI_KCB,SO_NGAY_DTRI,MA_CSKCB\r\n")
put("fuzz-claims-csv", "valid-130.csv", "\ufeff" + hdr +
    'L1,1,B1,"NGUYEN, VAN A",GD4010000000001,100.00,80.00,20.00,2024,3,01,0,04004\r\n'
    'L2,2,B2,"TRAN ""B""\nline two",HT3010000000002,500.00,475.00,25.00,2024,3,03,4,04004\r\n'
    "L3,3,B3,X,CN3010000000003,NaN,0,0,2024,3,01,0,04004\r\n"
    'L4,4,B4,X,TE101000000004,"145940,50",145940.50,0,2024,3,01,0,04004\r\n'
    "L9,10,B9,X,,10,10,0,2024,3,07,0,04004\r\n"
    "L10,11,,X,0000000010,10,10,0,2024,3,01,0,04004\r\n")
# settlement months 18 years apart (a flow over the span is not covered)
put("fuzz-claims-csv", "valid-two-months-apart.csv",
    open(os.path.join(out, "fuzz-claims-csv", "valid-130.csv"), "rb").read()
    .replace(b"NaN,0,0,2024", b"NaN,0,0,2042"))
put("fuzz-claims-csv", "valid-4210.csv",
    "MA_LK,MA_BN,MA_THE,T_TONGCHI,T_BHTT,T_BNCCT,NAM_QT,THANG_QT,MA_LOAI_KCB,NGAY_VAO,NGAY_RA,MA_CSKCB\n"
    "A1,B1,DN4010000000001,100,80,20,2019,12,3,201912010800,201912050800,20001\n"
    "A2,B2,DN4010000000002;HN2010000000002,5,5,0,2019,11,1,201911010800,201911010900,20001\n")
put("fuzz-claims-csv", "hostile-unterminated.csv", hdr + 'L1,1,B1,"never closed,GD4010000000001,1,1,0,2024,3,01,0,04004\n')
put("fuzz-claims-csv", "hostile-huge.csv", hdr +
    "L1,1,B1,X,GD4010000000001,99999999999999999999.99,92233720368547758.07,-1,2024,3,01,99999999999,04004\n"
    "L2,1,B1,X,GD4010000000001,92233720368547758.07,92233720368547758.07,0,2024,3,01,0,04004\n")
put("fuzz-claims-csv", "hostile-fields.csv", hdr + "L1,1\n,,,,,,,,,,,,,,,,,,\n" + "L2" + ",x" * 40 + "\n")
put("fuzz-claims-csv", "hostile-utf16.csv", (hdr + "L1,1,B1,X,GD4010000000001,1,1,0,2024,3,01,0,04004\n").encode("utf-16"))
put("fuzz-claims-csv", "hostile-header.csv", "MA_LK,MA_LK,T_BHTT\nA,B,1\n")


def even(text):
    """The CSV target splits inputs of even length only."""
    return text + "\n" if len(text.encode()) % 2 else text


rows = "".join("R%d,%d,B%d,X,GD40100000%05d,10.00,8.00,2.00,2024,%d,01,0,04004\n"
               % (i, i, i, i, 1 + i % 12) for i in range(30))
put("fuzz-claims-csv", "odd-long-field.csv", even(
    hdr + "L1,1,B1," + "Nguyen Van A " * 160 + ",GD4010000000001,1,1,0,2024,3,01,0,04004\n" + rows))
put("fuzz-claims-csv", "odd-quoted-breaks.csv", even(
    hdr + 'L1,1,B1,"' + "a line of a note\n" * 120 + '",GD4010000000001,1,1,0,2024,3,01,0,04004\n'
    + rows))
put("fuzz-claims-csv", "odd-one-line.csv", even(hdr + "L1,1,B1," + "x" * 3000))

# ---- resolutions ---------------------------------------------------------------
exdir = os.path.join(top, "reports", "examples")
for name in sorted(os.listdir(exdir)):
    put("fuzz-resolution", "valid-" + name, open(os.path.join(exdir, name), "rb").read())
put("fuzz-resolution", "hostile-laughs.xml", LAUGHS.format(root="resolution"))
put("fuzz-resolution", "hostile-xxe.xml", XXE.format(root="resolution"))
put("fuzz-resolution", "hostile-deep.xml",
    '<resolution xmlns="urn:hicov:resolution:1" version="1">' + deep("body", 50)[6:-7] + "</resolution>")
ex = open(os.path.join(exdir, sorted(os.listdir(exdir))[0]), "rb").read()
put("fuzz-resolution", "hostile-truncated.xml", ex[: len(ex) // 2])
put("fuzz-resolution", "hostile-utf16.xml", ex.decode().replace("UTF-8", "UTF-16").encode("utf-16"))
put("fuzz-resolution", "hostile-numbers.xml", re.sub(rb'threshold="[^"]*"', b'threshold="1e309"', ex, count=1))
put("fuzz-resolution", "hostile-years.xml", re.sub(rb'deadline="[^"]*"', b'deadline="99999999999"', ex, count=1))

# ---- ADX -----------------------------------------------------------------------
adx_sample = open(os.path.join(args.data, "adx", "adx_data_sample1.xml"), "rb").read()
put("fuzz-adx", "valid-ihe-sample1.xml", adx_sample)
small = ('<?xml version="1.0" encoding="UTF-8"?>\n<adx xmlns="urn:ihe:qrph:adx:2015" exported="2025-01-01T00:00:00Z">\n'
         '  <group orgUnit="C2" period="2024-01-01/P1Y">\n'
         '    <dataValue dataElement="population" value="1200"/>\n'
         '    <dataValue dataElement="participants" value="1100.5"/>\n'
         '    <dataValue dataElement="coverage_rate" value="91.7"/>\n'
         '  </group>\n  <group orgUnit="F2" period="2024-07-01/P1M">\n'
         '    <dataValue dataElement="visits" value="30"><annotation>x</annotation></dataValue>\n'
         '  </group>\n</adx>\n')
put("fuzz-adx", "valid-small.xml", small)
if args.hicov:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "demo.xml")
        subprocess.run([args.hicov, "adx", "export", "--unit", "20", "--from", "2023",
                        "--to", "2024", "-o", path], check=True, capture_output=True)
        put("fuzz-adx", "valid-demo-lang-son.xml", open(path, "rb").read())
put("fuzz-adx", "hostile-laughs.xml", LAUGHS.format(root="adx"))
put("fuzz-adx", "hostile-xxe.xml", XXE.format(root="adx"))
put("fuzz-adx", "hostile-deep.xml", '<adx xmlns="urn:ihe:qrph:adx:2015" exported="x">' + deep("group", 300) + "</adx>")
put("fuzz-adx", "hostile-truncated.xml", small[: len(small) // 2])
put("fuzz-adx", "hostile-utf16.xml", small.replace("UTF-8", "UTF-16").encode("utf-16"))
put("fuzz-adx", "hostile-values.xml", small.replace('"1200"', '"99999999999999999999"')
    .replace('"1100.5"', '"1.005"').replace("P1Y", "P1W"))
put("fuzz-adx", "hostile-duplicates.xml", small.replace("C2", "C1").replace("F2", "C1"))
# ---- DHIS2 (fuzz-dhis2.c: first byte even JSON, odd ADX; its mapping) -----------
dv = ('{"dataSet": "BHYT", "orgUnitIdScheme": "UID", "period": "2024",\n'
      ' "dataValues": [\n'
      '  {"dataElement": "POP", "orgUnit": "C0mmune1UID", "value": "1200"},\n'
      '  {"dataElement": "PART", "orgUnit": "C0mmune1UID", "categoryOptionCombo": "G_HN",\n'
      '   "attributeOptionCombo": "AOC", "value": 1100.5},\n'
      '  {"dataElement": "VIS", "orgUnit": "Fac1l1ty1UI", "period": "2024Q3", "value": "30"},\n'
      '  {"dataElement": "COV", "orgUnit": "Pr0vinceUID", "value": "91.7"},\n'
      '  {"dataElement": "PART", "orgUnit": "C0mmune2UID", "period": "202407",\n'
      '   "categoryOptionCombo": "HllvX50cXC0", "value": "7"}\n'
      ']}\n')
put("fuzz-dhis2", "valid-json.bin", "\0" + dv)
put("fuzz-dhis2", "valid-adx.bin", "\1" + small.replace("C2", "C0mmune2UID").replace("F2", "Fac1l1ty1UI")
    .replace('"population"', '"POP"').replace('"participants"', '"PART"')
    .replace('"visits"', '"VIS"').replace('"coverage_rate"', '"COV"'))
put("fuzz-dhis2", "hostile-json-deep.bin", "\0" + "[" * 5000 + "]" * 5000)
put("fuzz-dhis2", "hostile-json-types.bin", "\0" + dv.replace('"1200"', '{"a": [1e999]}')
    .replace('"2024"', '20241').replace('"30"', 'null').replace('"C0mmune2UID"', '"C0mmune1UID"'))
put("fuzz-dhis2", "hostile-json-duplicate-key.bin", "\0" + dv.replace('"period": "2024",', '"period": "2024", "period": "2025",'))
put("fuzz-dhis2", "hostile-json-scheme.bin", "\0" + dv.replace('"UID"', '"CODE"'))
put("fuzz-dhis2", "hostile-json-nul.bin", "\0" + dv.replace("C0mmune1UID", "C0mm\\u0000une"))
put("fuzz-dhis2", "hostile-adx-xxe.bin", "\1" + XXE.format(root="adx"))
# ---- names (collation) -------------------------------------------------------
# Up to three names separated by NUL bytes (see fuzz-collate.c).
put("fuzz-collate", "valid-districts.txt",
    "Huyện Bắc Sơn\0Huyện Bình Gia\0Huyện Đình Lập")
put("fuzz-collate", "valid-tones.txt", "Hòa\0Hoàng\0Ho\u0300a Bi\u0300nh")
put("fuzz-collate", "valid-numbers.txt", "Phường 2\0Phường 10\0Xã 002")
put("fuzz-collate", "valid-nfd-marks.txt",
    "Nghe\u0323\u0302 An\0o\u0302\u031b\0\u01a1\u0302")
put("fuzz-collate", "hostile-long-number.txt", "1" + "0" * 600 + "\0" + "0" * 300 + "1")
put("fuzz-collate", "hostile-marks.txt", "a" + "\u0323\u0302\u0301" * 40 + "\0\u0301a")
put("fuzz-collate", "hostile-bad-utf8.txt",
    b"\xc3\0\xe1\xba\0\xed\xa0\x80\xf4\x90\x80\x80\xcc")
put("fuzz-collate", "hostile-long.txt", "Thành phố " * 60)
# ---- dataset states (pickles) ------------------------------------------------
# The state without its SHA-256, which fuzz-dataset-state.c appends.
if args.python:
    import struct
    import sys
    sys.path.insert(0, args.python)
    import hicov
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "units.csv"), "w", encoding="utf-8") as f:
            f.write(units)
        with open(os.path.join(d, "values.csv"), "w", encoding="utf-8") as f:
            f.write("unit,period,measure,value,group,source\n"
                    "A,2024,population,1000,,\nA,2024,participants,900,HN,census\n"
                    "N,2025-01/2025-10,visits,12.5,,\n")
        small = hicov.load(d, strict=False)
    small.fund_share, small.lang, small.boundaries = 85.5, "vi", "as-published"
    state = small.to_bytes()[:-32]
    put("fuzz-dataset-state", "valid-small.bin", state)
    put("fuzz-dataset-state", "valid-demo.bin", hicov.demo().to_bytes()[:-32])
    put("fuzz-dataset-state", "hostile-version.bin", state[:8] + struct.pack("<I", 2) + state[12:])
    put("fuzz-dataset-state", "hostile-length.bin",
        state[:12] + struct.pack("<I", 0xFFFFFFF0) + state[16:])
    put("fuzz-dataset-state", "hostile-cut.bin", state[:len(state) // 2])
    # ---- report states (pickles): the same, fuzz-report-state.c seals them
    rep = small.report(hicov.Resolution(body="HĐND", number="1/2024", title="BHYT",
                                        term=(2021, 2026),
                                        targets=[{"indicator": "coverage_rate", "unit": "A",
                                                  "threshold": 95, "deadline": 2025}]),
                       lang="en", source="fuzz corpus", time=0)
    rep.set_issuer(agency="BHXH", recipients=["Tỉnh ủy"])
    rstate = rep.to_bytes()[:-32]
    put("fuzz-report-state", "valid-small.bin", rstate)
    put("fuzz-report-state", "valid-demo.bin", hicov.demo().report(time=0).to_bytes()[:-32])
    put("fuzz-report-state", "hostile-version.bin",
        rstate[:8] + struct.pack("<I", 2) + rstate[12:])
    put("fuzz-report-state", "hostile-length.bin",
        rstate[:12] + struct.pack("<I", 0xFFFFFFF0) + rstate[16:])
    put("fuzz-report-state", "hostile-digest.bin", rstate[:-32] + bytes(32))
    put("fuzz-report-state", "hostile-cut.bin", rstate[:len(rstate) // 2])
print("corpus written to", out)
