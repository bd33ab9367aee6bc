using Mockingbird.Benchmarks;

return await LoadBenchmark.RunAsync(BenchmarkSettings.Parse(args));
