"""Adapters and async: complete, faithful, safe implementations of the ports (HEX501-HEX506).

What a call's receiver is, and which calls return coroutines, is hexcheck.semantics.types
and hexcheck.semantics.coroutines.
"""
