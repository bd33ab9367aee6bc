using Mockingbird.Benchmarks;

return args.Length > 0 && args[0] == "tokens" ? await TokenBenchmark.RunAsync()
    : args.Length > 0 && args[0] == "judge" ? await JudgeBenchmark.RunAsync(sweep: args.Contains("--sweep"))
    : await LoadBenchmark.RunAsync(BenchmarkSettings.Parse(args));
