-- wrk script for bench/netfuzz_bench.sh: valid Creates, each with a claim and a request ID of its
-- own (the relay remembers request IDs per claim, so repeats would measure its duplicate path).
local counter = 0
local body = '{"payload":{"type":"AEAD_AES_128_GCM","data":"YmVuY2gtcGF5bG9hZC1ieXRlcy0xMjM0NTY3ODkw"},' ..
             '"displayInformation":{"title":"bench","description":"load generator","imageURL":"https://example.com/i.png"}}'

function setup(thread)
  local threads = (threads or 0) + 1
  _G.threads = threads
  thread:set("tid", threads)
end

function request()
  counter = counter + 1
  local claim = string.format("%08x-0000-4000-8000-%012x", tid, counter)
  return wrk.format("POST", "/v1/m", {
    ["Content-Type"] = "application/json",
    ["Mailbox-Device-Claim"] = claim,
    ["Mailbox-Request-ID"] = "wrk-" .. counter,
  }, body)
end
