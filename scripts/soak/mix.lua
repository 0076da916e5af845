-- One kind of soak traffic for wrk (scripts/soak.sh): SOAK_KIND is route, table, nearest or
-- plan; SOAK_POINTS a Lua file returning snapped, mutually reachable {lon, lat} points;
-- SOAK_OUT where done() writes the run's numbers as JSON.
local kind = os.getenv("SOAK_KIND")
local pts = dofile(os.getenv("SOAK_POINTS"))
math.randomseed(tonumber(os.getenv("SOAK_SEED") or "1"))

local function pick()
  return pts[math.random(#pts)]
end

local function lonlat(p)
  return string.format("%.6f,%.6f", p[1], p[2])
end

local function coords(n)
  local out = {}
  for i = 1, n do
    out[i] = lonlat(pick())
  end
  return table.concat(out, ";")
end

local function plan_body()
  local jobs = {}
  for i = 1, 10 do
    jobs[i] = string.format('{"id":%d,"location":[%s],"service":60}', i, lonlat(pick()))
  end
  return string.format('{"vehicles":[{"id":1,"profile":"car","start":[%s],"end":[%s]}],"jobs":[%s]}',
    lonlat(pick()), lonlat(pick()), table.concat(jobs, ","))
end

request = function()
  if kind == "route" then
    return wrk.format("GET", "/route/v1/car/" .. coords(2) .. "?overview=false")
  elseif kind == "table" then
    return wrk.format("GET", "/table/v1/car/" .. coords(25))
  elseif kind == "nearest" then
    return wrk.format("GET", "/nearest/v1/car/" .. coords(1) .. "?number=3")
  else
    return wrk.format("POST", "/plan?iterations=200", {["Content-Type"] = "application/json"}, plan_body())
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  local f = io.open(os.getenv("SOAK_OUT"), "w")
  f:write(string.format(
    '{"name":"%s","requests":%d,"rps":%f,"p50_ms":%f,"p99_ms":%f,"non2xx":%d,"socket_errors":%d}\n',
    kind, summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, e.status,
    e.connect + e.read + e.write + e.timeout))
  f:close()
end
