"""The solver: candidate pruning, the CP-SAT model, the neighbourhood search, bounds and
the :func:`~matcher.solver.solve.solve` entry.
"""
