"""`appealkit serve`: the local review page (Starlette and uvicorn are imported only here)."""
