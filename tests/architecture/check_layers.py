#!/usr/bin/env python3
"""The layering of ARCHITECTURE.md, checked on the sources (ctest: architecture.layers).

The build already refuses an include of a library that is not linked (core/CMakeLists.txt gives each library
an include root of its own headers). This test adds what the build cannot see:
  - the library map in core/CMakeLists.txt (USES) has no cycle, and every library there exists as a folder;
  - every include between core folders follows the map (direct or transitive), so the map stays the truth;
  - ui/: the folders form no cycle, and one page (examples, promptlab, training) never includes another:
    what two pages share lives in bridge/, widgets/ or dialogs/.
Exits 1 with one line per violation, naming the file and the include.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parents[2])
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
UI_PAGES = {"examples", "promptlab", "training"}


def parse_core_map():
    """{library: (folder, {used libraries})} from the tunesmith_library(...) calls."""
    text = (ROOT / "core/CMakeLists.txt").read_text()
    libraries = {}
    for call in re.finditer(r"^tunesmith_library\(([^)]*)\)", text, re.M):
        words = call.group(1).split()
        name, folder, uses, key = words[0], words[0], set(), None
        for word in words[1:]:
            if word in ("TORCH",):
                continue
            if word in ("FOLDER", "USES", "LINKS", "PRIVATE_LINKS"):
                key = word
                continue
            if key == "FOLDER":
                folder = word
            elif key == "USES":
                uses.add(word)
            elif key == "PRIVATE_LINKS" and word.startswith("tunesmith_"):
                uses.add(word[len("tunesmith_"):])
        libraries[name] = (folder, uses)
    # Libraries declared by hand (quant_cuda) own a folder too.
    for name, folder in re.findall(r"tunesmith_include_root\((\w+) ([\w/]+)\)", text):
        libraries.setdefault(name, (folder, set()))
    return libraries


def find_cycle(graph):
    """One cycle of a {node: {nodes}} graph as a list, or None."""
    state = {}

    def visit(node, path):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return path[path.index(nxt):] + [nxt] if nxt in path else path + [nxt]
            if nxt not in state:
                found = visit(nxt, path + [nxt])
                if found:
                    return found
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node, [node])
            if found:
                return found
    return None


def closure(graph, node):
    seen, pending = set(), [node]
    while pending:
        for nxt in graph.get(pending.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                pending.append(nxt)
    return seen


def includes_of(path):
    return INCLUDE.findall(path.read_text(errors="replace"))


def main():
    problems = []
    libraries = parse_core_map()
    uses = {name: set(u) for name, (_, u) in libraries.items()}
    for name, (folder, used) in libraries.items():
        if not (ROOT / "core" / folder).is_dir():
            problems.append(f"core/CMakeLists.txt: library {name} names a missing folder core/{folder}")
        for other in used:
            if other not in libraries:
                problems.append(f"core/CMakeLists.txt: {name} uses unknown library {other}")
    cycle = find_cycle(uses)
    if cycle:
        problems.append("core/CMakeLists.txt: the libraries form a cycle: " + " -> ".join(cycle))

    # Folder of a header path ("llm/local/x.h" -> llm_local) by the longest matching library folder.
    by_folder = sorted(((folder, name) for name, (folder, _) in libraries.items()), key=lambda f: -len(f[0]))

    def library_of(relative):
        for folder, name in by_folder:
            if relative.startswith(folder + "/") and "/" not in relative[len(folder) + 1:]:
                return name
        return None

    for path in sorted((ROOT / "core").rglob("*")):
        if path.suffix not in (".h", ".cpp", ".cu", ".inc"):
            continue
        owner = library_of(str(path.relative_to(ROOT / "core")))
        if owner is None:
            problems.append(f"{path.relative_to(ROOT)}: in no library of core/CMakeLists.txt")
            continue
        allowed = closure(uses, owner) | {owner}
        for include in includes_of(path):
            target = library_of(include)
            if target is not None and target not in allowed:
                problems.append(f"{path.relative_to(ROOT)}: includes \"{include}\", but {owner} may not use {target}")

    ui_graph = {}
    for path in sorted((ROOT / "ui").rglob("*")):
        if path.suffix not in (".h", ".cpp"):
            continue
        relative = path.relative_to(ROOT / "ui")
        if len(relative.parts) < 2:
            continue
        folder = relative.parts[0]
        for include in includes_of(path):
            other = include.split("/")[0]
            # Only headers that are in ui/: "promptlab/ab_test_config.h" is core's promptlab, not the page.
            if other == folder or "/" not in include or not (ROOT / "ui" / include).is_file():
                continue
            ui_graph.setdefault(folder, set()).add(other)
            if folder in UI_PAGES and other in UI_PAGES:
                problems.append(f"ui/{relative}: the {folder} page includes \"{include}\" of the {other} page")
    cycle = find_cycle(ui_graph)
    if cycle:
        problems.append("ui/: the folders form a cycle: " + " -> ".join(cycle))

    for problem in problems:
        print(problem)
    print(f"{len(libraries)} core libraries, {sum(len(u) for u in uses.values())} uses; ui folders: "
          f"{len(ui_graph)}; {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
