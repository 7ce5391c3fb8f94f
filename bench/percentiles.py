"""The one percentile rule of the bench scripts (nearest rank, as RESULTS.md reports)."""


def p(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]
