using Mockingbird.Benchmarks;

return args.Length > 0 && args[0] == "tokens"
    ? await TokenBenchmark.RunAsync()
    : await LoadBenchmark.RunAsync(BenchmarkSettings.Parse(args));
