"""Suggestions read from a task's own text, each a plain function with its own tests: the units
(``units``), the responsible leader (``leaders``) and the deadline (``dates``). The import shows them
for the supervisor to correct; nothing here is saved without that."""
