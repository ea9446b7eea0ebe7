"""The scenario: domain objects, loading, validation, writing, plan files and problems.

Importing this package (or any module in it) does not import OR-Tools.
"""
