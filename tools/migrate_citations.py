"""Rewrite old research citations (``<doc>.md §5 "Row"`` for the two research documents the
project used before docs/fidelity existed, bare ``§N`` after one of them) into
``docs/fidelity/<page>.md#<anchor>``.

For branches that rebase over the fidelity reference (issue 18): run from the repository root,
``python tools/migrate_citations.py`` prints the diff, ``--write`` applies it. Only comments and
strings change; check with ``tests/foundation/test_fidelity_docs.py``. Removed once every branch
has moved over.
"""
import difflib
import json
import pathlib
import re
import subprocess
import sys
OLD = ("cognito", "okta-aws")   # the research documents, by stem
M = {k.replace("|", ".md|", 1): v for k, v in json.load(open(pathlib.Path(__file__).with_name("citation_map.json"))).items()}
EXTRA = {OLD[0] + ".md|pre|": "errors#errors-cognito-texts-not-fixed"}
M.update(EXTRA)
def norm(s): return re.sub(r"[^a-z0-9{}_/]+", " ", s.lower().replace("→", "to").replace("↔"," ")).strip()
def lookup(doc, sec, name):
    if not name: return M.get(f"{doc}|{sec}|")
    if name.startswith("#"): return M.get(f"{doc}|{sec}|{name}") or M.get(f"{doc}|{sec}|")
    n = norm(name)
    cands = [(k, v) for k, v in M.items() if k.startswith(f"{doc}|{sec}|") and k.split("|")[2]]
    for k, v in cands:
        if norm(k.split("|")[2]) == n: return v
    for k, v in cands:
        kn = norm(k.split("|")[2])
        if kn.startswith(n) or n.startswith(kn) : return v
    for k, v in cands:
        kn = norm(k.split("|")[2])
        if n in kn: return v
    # other sections of the same doc
    for k, v in M.items():
        if k.startswith(doc + "|") and k.split("|")[2] and norm(k.split("|")[2]) == n: return v
    return None
SPEC = re.compile(r"(RFC ?\d+|Core|Bindings|Encryption|Profiles|spec|Signature|1\.1|Syntax|JWS|JWT|JWA|Discovery 1\.0|Session Management|Assertions)\s*,?\s*$")
ITEM = r"§\s*(\d+[a-z]?)(?:\s*(?:#|item)\s*(\d+(?:\s*,\s*#\d+)*))?((?:(?:\(\w+\))?\s*\"(?:[^\"()=\n\[\]]|\n[ \t]*(?:\#[ \t]*)?|\([^\"()=\n\[\]]{0,40}\)){1,90}\"(?:[ \t]*(?:,|and|/)?[ \t]*\"(?:[^\"()=\n\[\]]|\n[ \t]*(?:\#[ \t]*)?|\([^\"()=\n\[\]]{0,40}\)){1,90}\")*)?)"
DOCS = re.compile("(" + "|".join(re.escape(d + ".md") for d in OLD) + ")")
CIT = re.compile(r"(?:(" + "|".join(re.escape(d + ".md") for d in OLD) + r")\s*(?:preamble)?\s*)?(" + ITEM + r"(?:\s*(?:,|and|;)\s*" + ITEM + r")*)")
def exact(doc, sec, name):
    n = norm(name)
    for k, v in M.items():
        if k.startswith(f"{doc}|{sec}|") and k.split("|")[2]:
            kn = norm(k.split("|")[2])
            if kn == n or (len(n.split()) >= 2 and kn.startswith(n)) or (kn.startswith(n + " ") and len(n) > 4): return v
    return None
def default_doc(path):
    if "okta" in path or "aws_signin" in path or "sts" in path: return OLD[1] + ".md"
    return OLD[0] + ".md"
def link(v): p, a = v.split("#"); return f"docs/fidelity/{p}.md#{a}"
unresolved = []
def process(path, text):
    out = []; pos = 0; last_doc = None
    first_doc = DOCS.search(text); first_doc = first_doc.group(1) if first_doc else None
    # "<doc>.md preamble"
    text = re.sub(re.escape(OLD[0] + ".md") + " preamble", link(EXTRA[OLD[0] + ".md|pre|"]), text)
    for m in CIT.finditer(text):
        doc = m.group(1)
        before = text[max(0, m.start() - 30):m.start()]
        if not doc:
            if SPEC.search(before): continue
            if re.match(r"§\d+\.\d", m.group(2)): continue   # §8.1-style case names: separate
            prev = [d for d in DOCS.findall(text[:m.start()])]
            doc = prev[-1] if prev else (first_doc or None)
            if not doc: 
                unresolved.append((path, m.group(0))); continue
        links = []; leftovers = []
        for it in re.finditer(ITEM, m.group(2)):
            sec, items, names = it.group(1), it.group(2), it.group(3)
            qs = [" ".join(q.split()) for q in re.findall(r'"([^"]+)"', names or "")]
            got = False
            if items:
                for i in re.findall(r"\d+", items):
                    v = lookup(doc, sec, "#" + i); 
                    if v: links.append(v); got = True
            for q in qs:
                v = lookup(doc, sec, q)
                if v and v != M.get(f"{doc}|{sec}|"): links.append(v); got = True
                else: leftovers.append(f'"{q}"')
            if not got:
                v = lookup(doc, sec, "")
                if v: links.append(v)
                else: unresolved.append((path, m.group(0)))
        tail_end = m.end()
        if not any(it.group(3) for it in re.finditer(ITEM, m.group(2))):
            last = list(re.finditer(ITEM, m.group(2)))[-1]
            t = re.match(r"\s*(\(?)([A-Za-z/_][^,;()\n\"]{1,60}?)(\)?)(?=\s*(?:[,;)\n\"]|$))", text[m.end():])
            if t and (t.group(1) == "" or t.group(3) == ")"):
                v = exact(doc, last.group(1), t.group(2))
                if v:
                    if links and links[-1] == M.get(f"{doc}|{last.group(1)}|"): links.pop()
                    links.append(v); tail_end = m.end() + t.end()
        seen = []
        [seen.append(l) for l in links if l not in seen]
        rep = ", ".join(link(v) for v in seen)
        if leftovers: rep += " " + " ".join(leftovers)
        out.append(text[pos:m.start()]); out.append(rep); pos = tail_end
    out.append(text[pos:])
    return "".join(out)
files = subprocess.run("grep -rlE '" + "|".join(d + "[.]md" for d in OLD) + "|§' . --exclude-dir=.venv --exclude-dir=.git --exclude-dir=docs --exclude-dir=node_modules --exclude-dir=tools --exclude-dir=.venv",
                       shell=True, capture_output=True, text=True).stdout.split()
write = "--write" in sys.argv
for f in files:
    t = open(f).read(); n = process(f, t)
    if n != t:
        if write: open(f, "w").write(n)
        else:
            for l in difflib.unified_diff(t.splitlines(), n.splitlines(), f, f, n=0, lineterm=""): print(l)
print("UNRESOLVED", unresolved, file=sys.stderr)
