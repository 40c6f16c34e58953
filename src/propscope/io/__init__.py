"""Reading and writing: articles in (``readers``) and official SemEval files (``formats``)."""
