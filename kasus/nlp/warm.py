"""Importing this loads simplemma's Norwegian tables: the import's forkserver preloads it, so its
workers fork with the tables in memory instead of each spending two seconds loading them."""

from kasus.nlp.lemmas import warm_up

warm_up()
