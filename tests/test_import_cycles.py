"""No import cycle between any two modules of the designer: every import counts, also one
inside a function. (The import-linter contracts in .importlinter check the apps' layers; this
checks files.)"""

import grimp


def strongly_connected(graph, modules) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the groups of modules that import each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups = []

    def imported_by(module):
        return iter(sorted(graph.find_modules_directly_imported_by(module)))

    for root in modules:
        if root in index:
            continue
        work = [(root, imported_by(root))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, imported = work[-1]
            for other in imported:
                if other not in index:
                    index[other] = low[other] = len(index)
                    stack.append(other)
                    on_stack.add(other)
                    work.append((other, imported_by(other)))
                    break
                if other in on_stack:
                    low[module] = min(low[module], index[other])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[module])
                if low[module] == index[module]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == module:
                            break
                    groups.append(sorted(group))
    return groups


def cycle_through(graph, group: list[str]) -> list[str]:
    """One cycle inside ``group``, as the chain of imports that closes it."""
    members = set(group)
    start = group[0]
    path, seen = [start], {start}
    while True:
        following = sorted(graph.find_modules_directly_imported_by(path[-1]) & members)
        if start in following and len(path) > 1:
            return [*path, start]
        step = next((m for m in following if m not in seen), None)
        if step is None:  # a dead end inside the group: go back
            path.pop()
            if not path:
                return group
            continue
        path.append(step)
        seen.add(step)


def test_no_module_of_the_designer_imports_itself_through_others():
    graph = grimp.build_graph("designer")
    modules = sorted(m for m in graph.modules if m == "designer" or m.startswith("designer."))
    groups = [g for g in strongly_connected(graph, modules) if len(g) > 1]
    cycles = [" -> ".join(cycle_through(graph, g)) for g in groups]
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_the_check_finds_a_cycle():
    class Graph:
        imports = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}

        def find_modules_directly_imported_by(self, module):
            return self.imports[module]

    graph = Graph()
    groups = [g for g in strongly_connected(graph, ["a", "b", "c", "d"]) if len(g) > 1]
    assert groups == [["a", "b", "c"]]
    assert cycle_through(graph, groups[0]) == ["a", "b", "c", "a"]
