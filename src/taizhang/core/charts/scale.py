"""Axis arithmetic: a value range made round ("nice" ticks) and values mapped to positions."""

from __future__ import annotations

import math
from dataclasses import dataclass

# Steps a reader counts in: 1, 2, 2.5, 5 (× a power of ten).
_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)


def nice_step(span: float, count: int, integer: bool = False) -> float:
    """The smallest round step that covers ``span`` in at most ``count`` intervals."""
    raw = span / max(count, 1)
    if raw <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    for m in _STEPS:
        step = m * power
        if integer and (step < 1 or step != int(step)):
            continue
        if step >= raw * (1 - 1e-9):
            return step
    return 10.0 * power


@dataclass(frozen=True)
class Axis:
    """A value axis: its domain [low, high] and tick values (in ascending order)."""

    low: float
    high: float
    ticks: tuple[float, ...]

    def fraction(self, value: float) -> float:
        """Where ``value`` lies between low (0) and high (1)."""
        return (value - self.low) / (self.high - self.low)


def axis(
    values: list[float],
    *,
    count: int = 4,
    integer: bool = False,
    include_zero: bool = True,
    floor: float | None = None,
    minimum_high: float | None = None,
) -> Axis:
    """A round axis covering ``values`` (and zero unless told otherwise; ``minimum_high`` e.g. 100
    for percentages; ``floor``: the axis starts there — rank 1)."""
    low = min(values) if values else 0.0
    high = max(values) if values else 0.0
    if include_zero:
        low, high = min(low, 0.0), max(high, 0.0)
    if floor is not None:
        low = floor
        high = max(high, floor)
    if minimum_high is not None:
        high = max(high, minimum_high)
    if high == low:  # one value (or none): give it room above
        high = low + (1.0 if integer or low == 0 else abs(low))
    step = nice_step(high - low, count, integer)
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    ticks = [_clean(i * step) for i in range(first, last + 1)]
    if floor is not None:
        # The floor is a tick; a round tick below it goes, one too close above it too.
        ticks = [floor, *(t for t in ticks if t > floor + step / 3)]
        return Axis(floor, max(ticks[-1], floor + step), tuple(ticks))
    return Axis(ticks[0], ticks[-1], tuple(ticks))


def _clean(value: float) -> float:
    """No float dust (0.30000000000000004) and no -0.0."""
    return round(value, 9) + 0.0
