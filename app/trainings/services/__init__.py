"""The rules of training classes.

Contents:
    access.py        where a class sits in the permission scopes; who organises it
"""
