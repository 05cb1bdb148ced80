local chunk = string.dump(function() return 1 end)
