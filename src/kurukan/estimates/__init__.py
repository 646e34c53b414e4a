"""Estimates of undocumented victims (multiple systems estimation) from the lists organisations keep."""
