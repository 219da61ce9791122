"""Obvious implementations that the benchmarks measure gloss against."""
