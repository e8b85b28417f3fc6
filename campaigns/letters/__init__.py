"""The 一函两书 letters: their Word templates, how each issuing unit numbers them, and filling a template in."""
