#!/usr/bin/python3
"""Parity fixtures for @tavt/metrics, computed by the public COCO caption evaluation code.

Nothing of that code is vendored here: pass the path of a pycocoevalcap checkout (github.com/salaniz/pycocoevalcap,
or the pycocoevalcap/ folder of github.com/tylin/coco-caption) and a Meteor jar built from the public Meteor 1.5
source by tools/metrics/build_meteor.sh.

    tools/metrics/build_meteor.sh <meteor-checkout> ../shared/data/meteor /tmp/meteor-coco.jar
    /usr/bin/python3 tools/metrics/make_fixtures.py --coco <pycocoevalcap-checkout> \
        --meteor-jar /tmp/meteor-coco.jar --data ../shared/data --out tools/fixtures/metrics

BLEU, ROUGE-L and CIDEr-D run as the unmodified Python classes (Bleu(4), Rouge(), Cider()). METEOR runs through
the unmodified meteor.py wrapper class (its compute_score/_stat: the SCORE/EVAL -stdio protocol) with only the
java command line changed: our jar, and `-m "exact stem synonym"` (weights 1.0 0.6 0.8) because the paraphrase
table paraphrase-en.gz is not available here; the paraphrase module is checked on a small hand-made table.
The Stanford PTBTokenizer (stanford-corenlp-3.4.1.jar) is not available either, so scorers get the captions as
they are (pre-tokenized text), exactly as pycocoevalcap's scorers receive the tokenizer's output.
"""

import argparse
import gzip
import json
import os
import subprocess
import sys
import threading


def load_coco(path):
    sys.path.insert(0, os.path.abspath(path))
    from bleu.bleu import Bleu  # noqa: E402
    from cider.cider import Cider  # noqa: E402
    from meteor.meteor import Meteor  # noqa: E402
    from rouge.rouge import Rouge  # noqa: E402

    return Bleu, Cider, Meteor, Rouge


def run_all(coco, jar, gts, res, modules, para=None):
    Bleu, Cider, Meteor, Rouge = coco

    class JarMeteor(Meteor):
        """meteor.py's Meteor with the java command pointed at our jar; compute_score/_stat unchanged."""

        def __init__(self):
            self.meteor_cmd = ["java", "-jar", "-Xmx2G", jar, "-", "-", "-stdio", "-l", "en", "-norm", "-m", modules]
            if para is not None:
                self.meteor_cmd += ["-a", para]
            self.meteor_p = subprocess.Popen(
                self.meteor_cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
            self.lock = threading.Lock()

    out = {"corpus": {}, "items": {}}
    ids = list(gts.keys())
    b, bs = Bleu(4).compute_score(gts, res, verbose=0)
    for k in range(4):
        out["corpus"][f"Bleu_{k + 1}"] = float(b[k])
        out["items"][f"Bleu_{k + 1}"] = [float(x) for x in bs[k]]
    m = JarMeteor()
    ms, mss = m.compute_score(gts, res)
    out["corpus"]["METEOR"] = float(ms)
    out["items"]["METEOR"] = [float(x) for x in mss]
    del m
    r, rs = Rouge().compute_score(gts, res)
    out["corpus"]["ROUGE_L"] = float(r)
    out["items"]["ROUGE_L"] = [float(x) for x in rs]
    c, cs = Cider().compute_score(gts, res)
    out["corpus"]["CIDEr"] = float(c)
    out["items"]["CIDEr"] = [float(x) for x in cs]
    out["ids"] = ids
    return out


def msrvtt_split(data_dir):
    """Every test video; candidate = its caption with the lowest sen_id, references = the other 19."""
    info = json.load(open(os.path.join(data_dir, "msrvtt", "test_videodatainfo.json")))
    by_video = {}
    for s in info["sentences"]:
        by_video.setdefault(s["video_id"], []).append(s)
    vids = sorted(by_video, key=lambda v: int(v[len("video") :]))
    refs, cands = {}, {}
    for v in vids:
        caps = [s["caption"] for s in sorted(by_video[v], key=lambda s: s["sen_id"])]
        cands[v] = caps[0]
        refs[v] = caps[1:]
    return refs, cands


EDGE = [
    # (id, candidate, references)
    ("empty-candidate", "", ["a man is playing a guitar", "someone plays guitar"]),
    ("one-word", "man", ["a man is talking", "a man speaks to the camera"]),
    ("repeated-ngrams", "a a a a a a a a", ["a man and a woman", "a a cat"]),
    ("repeated-bigrams", "the dog the dog the dog", ["the dog runs", "a dog and the dog play"]),
    ("punctuation", "a man , is playing ... the guitar !", ["a man is playing the guitar .", "a man plays , sings"]),
    ("clitics", "a man 's dog is n't here", ["the man's dog isn't here", "a dog 's owner is n't home"]),
    ("quotes-dashes", "a \u201cwell-known\u201d singer \u2013 sings", ["a well known singer sings", "a famous singer -- sings"]),
    ("non-ascii", "a caf\u00e9 owner pours coff\u00e9e", ["the caf\u00e9 owner pours coffee", "a man in a cafe"]),
    ("non-latin", "\u0447\u0435\u043b\u043e\u0432\u0435\u043a \u0438\u0433\u0440\u0430\u0435\u0442 \u043d\u0430 \u0433\u0438\u0442\u0430\u0440\u0435", ["\u0447\u0435\u043b\u043e\u0432\u0435\u043a \u0438\u0433\u0440\u0430\u0435\u0442", "a man plays"]),
    ("emoji", "a dog \U0001f436 runs fast", ["a dog runs fast", "a puppy is running"]),
    ("equal-to-reference", "a woman is slicing a tomato", ["a woman is slicing a tomato", "someone cuts a tomato"]),
    ("all-equal", "a cat sleeps", ["a cat sleeps"]),
    ("uppercase", "A Man Is Cooking Pasta", ["a man is cooking pasta", "A MAN COOKS"]),
    ("numbers", "3,000 people watch 2 cars in the 1990's", ["thousands of people watch two cars", "people watch cars race in 1990"]),
    ("abbreviations", "mr. smith talks about the u.s. army", ["mr smith talks about the us army", "a man talks about the army ."]),
    ("extra-spaces", "a  man   sings ", [" a man sings", "a man  is singing"]),
    ("tabs", "a\tman\tsings", ["a man sings"]),
    ("single-reference", "kids play soccer on a field", ["children are playing football on the grass"]),
    ("stems-synonyms", "a man plays guitars and sings songs", ["a person is playing a guitar and singing a song", "a guy playing guitar"]),
    ("synonym-only", "a car drives fast", ["an automobile moves quickly", "a motorcar is driving"]),
    ("long-candidate", " ".join(["a man is walking down the street and talking to people"] * 4), ["a man walks down the street", "a man talks to people on the street"]),
    ("no-overlap", "purple elephants dance", ["a man is cooking", "someone cooks food in a kitchen"]),
    ("reordered", "guitar the playing is man a", ["a man is playing the guitar"]),
    ("ful-ss-words", "a handful of glasses on a mattress", ["a few glasses on the mattress", "glasses on a bed"]),
    ("exceptions", "the geese and mice ran", ["a goose and a mouse run", "mice running"]),
]

PARA_TABLE = [
    # (probability line, reference phrase, paraphrase) -- Meteor paraphrase-*.gz format, three lines each
    ("0.5", "is playing", "plays"),
    ("0.5", "plays", "is playing"),
    ("0.25", "a man", "someone"),
    ("0.25", "someone", "a man"),
    ("0.2", "a lot of", "many"),
    ("0.2", "many", "a lot of"),
    ("0.1", "on the stage", "onstage"),
    ("0.1", "guitar", "the guitar"),
]

PARA_CASES = [
    ("para-1", "someone plays the guitar", ["a man is playing the guitar", "a woman sings"]),
    ("para-2", "a lot of people dance on the stage", ["many people dance onstage", "people are dancing"]),
    ("para-3", "a man is playing guitar", ["someone plays guitar", "a man plays a guitar on the stage"]),
    ("para-4", "many kids play", ["a lot of kids are playing", "kids play"]),
    ("para-5", "", ["someone plays"]),
]


def edge_inputs(cases):
    gts = {i: refs for i, _, refs in cases}
    res = {i: [cand] for i, cand, _ in cases}
    return gts, res


def dump(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=None, separators=(",", ":"))
        f.write("\n")
    print("wrote", path, os.path.getsize(path), "bytes")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--coco", required=True, help="path of a pycocoevalcap checkout (folder holding bleu/ cider/ ...)")
    ap.add_argument("--meteor-jar", required=True, help="jar built by tools/metrics/build_meteor.sh")
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--out", default="tools/fixtures/metrics")
    ap.add_argument("--subset", type=int, default=300)
    a = ap.parse_args()
    coco = load_coco(a.coco)
    modules = "exact stem synonym"
    provenance = {
        "reference": "pycocoevalcap Bleu(4)/Rouge()/Cider() and meteor.py (SCORE/EVAL -stdio) over Meteor 1.5 "
        "built from source; captions scored as given (pre-tokenized path)",
        "meteor": f'-l en -norm -m "{modules}" (weights 1.0 0.6 0.8)',
        "command": "tools/metrics/make_fixtures.py",
    }

    # Hand-made edge cases.
    gts, res = edge_inputs(EDGE)
    out = run_all(coco, a.meteor_jar, gts, res, modules)
    dump(os.path.join(a.out, "edge-cases.json"), {**provenance, "refs": gts, "cands": {k: v[0] for k, v in res.items()}, **out})

    # Paraphrase module on a small hand-made table.
    table = os.path.join(a.out, "paraphrase-tiny.gz")
    with gzip.GzipFile(table, "wb", mtime=0) as f:
        f.write("".join(f"{p}\n{r}\n{q}\n" for p, r, q in PARA_TABLE).encode("utf-8"))
    gts, res = edge_inputs(PARA_CASES + EDGE[:6])
    out = run_all(coco, a.meteor_jar, gts, res, "exact stem synonym paraphrase", para=os.path.abspath(table))
    dump(
        os.path.join(a.out, "paraphrase.json"),
        {**provenance, "meteor": '-l en -norm -m "exact stem synonym paraphrase" -a paraphrase-tiny.gz (weights 1.0 0.6 0.8 0.6)',
         "refs": gts, "cands": {k: v[0] for k, v in res.items()}, **out},
    )

    refs, cands = msrvtt_split(a.data)
    ids = list(refs)[: a.subset]
    gts = {i: refs[i] for i in ids}
    res = {i: [cands[i]] for i in ids}
    out = run_all(coco, a.meteor_jar, gts, res, modules)
    dump(os.path.join(a.out, f"msrvtt-test-{a.subset}.json"),
         {**provenance, "source": "msrvtt/test_videodatainfo.json, first videos by id; candidate = caption with the "
          "lowest sen_id, references = the other 19", "refs": gts, "cands": cands_sub(cands, ids), **out})

    # Stemmer and normalizer of Meteor itself, word by word and line by line.
    words = sorted({w for caps in list(refs.values()) + [[c] for c in cands.values()] for c in caps for w in c.lower().split()}
                   | set(STEM_EXTRA))
    stems = java_lines(a.meteor_jar, "StemmerDump", [], words)
    dump(os.path.join(a.out, "stems.json"), {"source": "StemmerDump (Meteor 1.5 org.tartarus.snowball.ext.englishStemmer) "
         "over the MSR-VTT test vocabulary and hand-picked words", "stems": dict(zip(words, stems))})
    lines = [c for _, c, r in EDGE + PARA_CASES for c in [c] + r] + [
        "Mr. Smith went to the U.S. on Jan. 3rd.", 'He said, "hello"...and left....', "It's 3,000 people; 1,2,3 go!",
        "rock 'n' roll isn't dead -- it's well\u2013known", "\u2018quoted\u2019 \u201cdouble\u201d ``tex'' style",
        "a...b..c.d", "No. 5 and No. 6", "Art. 5", "pp. 3", "e.g. this", "i.e. that", "hello. World", "Dr. Who",
        "what? (really) [yes] {no} <tag> & $5 @home #1 50% a*b+c=d ~ ^ |", "don't won't can't y'all 'tis o'clock",
        "DOTMULTI. test DOTDOTMULTI x", "a\u00a0b\u2009c\u3000d", "emoji \U0001f436\U0001f3b8 test \U0001f436.",
        "U.S.-based firm", "A. B. C.", "x.", ".", "..", "a-b -c d- -", "5's 5'd", "don\u2019t", "it`s", "",
    ]
    norm = java_lines(a.meteor_jar, "edu.cmu.meteor.util.Normalizer", ["en", "true"], lines)
    dump(os.path.join(a.out, "normalizer.json"), {"source": "edu.cmu.meteor.util.Normalizer en true (Meteor -norm)",
         "cases": [[l, n] for l, n in zip(lines, norm)]})

    # The whole test split: scores only (inputs are read from ../shared/data by the test).
    gts = dict(refs)
    res = {i: [cands[i]] for i in refs}
    out = run_all(coco, a.meteor_jar, gts, res, modules)
    dump(os.path.join(a.out, "msrvtt-test-full.json"),
         {**provenance, "source": "msrvtt/test_videodatainfo.json, all 2,990 videos; candidate = caption with the "
          "lowest sen_id, references = the other 19", **out})


def java_lines(jar, main_class, args, lines):
    """Run a main class of the jar over lines (UTF-8 in and out), one output line per input line."""
    cmd = ["java", "-Dfile.encoding=UTF-8", "-Dsun.stdout.encoding=UTF-8", "-Dsun.stdin.encoding=UTF-8",
           "-cp", jar, main_class] + args
    out = subprocess.run(cmd, input="".join(l + "\n" for l in lines).encode("utf-8"), stdout=subprocess.PIPE, check=True)
    res = out.stdout.decode("utf-8").split("\n")[: len(lines)]
    assert len(res) == len(lines)
    return res


STEM_EXTRA = (
    "skis skies dying lying tying idly gently ugly early only singly sky news howe atlas cosmos bias andes inning "
    "outing canning herring earring proceed exceed succeed generous general generation communism community arsenal "
    "'tis yes yay sayyid boy's boys' cats' y yy ay aye ied ies tied ties cries hoped hoping feed agreed hopping "
    "fizzed bled generate caf\u00e9ing na\u00efve \u00fcber playing plays guitars relational conditional "
    "rational valency hesitancy digitizer conformabli radicalli differentli vileli analogousli vietnamization "
    "predication operator feudalism decisiveness hopefulness callousness formaliti sensitiviti sensibiliti "
    "triplicate formative formalize electriciti electrical hopeful goodness revival allowance inference airliner "
    "gyroscopic adjustable defensible irritant replacement adjustment dependent adoption homologou communism "
    "activate angulariti homologous effective bowdlerize controll roll fluently").split()


def cands_sub(cands, ids):
    return {i: cands[i] for i in ids}


if __name__ == "__main__":
    main()
