"""The code's shape, for the notes on a structural change: the largest modules, the arrows
between the packages (and how many module imports make each), and the cycles between modules.

    .venv/bin/python -m bench.structure                 (from the repository's root)
    .venv/bin/python -m bench.structure --most 25

Imports are read by grimp (what import-linter reads), so an import inside a function counts as
much as one at the top. A package's `__init__` importing its own modules, or a module importing
its package, is not a cycle: that is how a package re-exports. Migrations are left out of the
line counts: they are generated.
"""

import argparse
import itertools
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
# The apps in the order of their layers (import-linter's contract), then the benchmarks.
PACKAGES = ["newsroom", "contacts", "press", "core", "bench"]


def module_lines():
    """{path: lines} of every Python module of PACKAGES, migrations left out."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                found[str(path.relative_to(ROOT))] = len(path.read_text().splitlines())
    return found


def arrows(graph):
    """{(importer package, imported package): module imports}, between top-level packages."""
    counts = {}
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            pair = (importer.split(".")[0], imported.split(".")[0])
            if pair[0] != pair[1]:
                counts[pair] = counts.get(pair, 0) + 1
    return counts


def related(one, other):
    return one.startswith(other + ".") or other.startswith(one + ".")


def cycles(graph):
    """The groups of modules that import each other in a circle (Tarjan's strongly connected
    components of more than one module), imports between a package and its own modules left
    out."""
    edges = {
        module: sorted(
            imported
            for imported in graph.find_modules_directly_imported_by(module)
            if not related(module, imported)
        )
        for module in graph.modules
    }
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = itertools.count()

    def visit(module):
        # Iterative, so a long chain of imports cannot reach Python's recursion limit.
        work = [(module, iter(edges[module]))]
        index[module] = low[module] = next(counter)
        stack.append(module)
        on_stack.add(module)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        found.append(sorted(group))
            elif child not in index:
                index[child] = low[child] = next(counter)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(edges[child])))
            elif child in on_stack:
                low[node] = min(low[node], index[child])

    for module in sorted(edges):
        if module not in index:
            visit(module)
    return sorted(found)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--most", type=int, default=15, help="How many modules to list.")
    parser.add_argument("--limit", type=int, default=400, help="Lines that make a module long.")
    args = parser.parse_args()
    write = sys.stdout.write

    lines = module_lines()
    write(f"Modules: {len(lines)}, {sum(lines.values()):,} lines; ")
    long = [path for path, count in lines.items() if count > args.limit]
    write(f"{len(long)} over {args.limit} lines.\nLargest:\n")
    for path, count in sorted(lines.items(), key=lambda item: -item[1])[: args.most]:
        write(f"  {count:>5}  {path}\n")

    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    write("\nArrows between packages (module imports):\n")
    for (importer, imported), count in sorted(arrows(graph).items()):
        write(f"  {importer} -> {imported}: {count}\n")
    found = cycles(graph)
    write(f"\nCycles between modules: {len(found)}\n")
    for group in found:
        write(f"  {' <-> '.join(group)}\n")


if __name__ == "__main__":
    main()
