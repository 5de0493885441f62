-- GET of the URL with a token: the batch read.
dofile(os.getenv("HOTPATHS_LUA") .. "/common.lua")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("HOTPATHS_TOKEN")
