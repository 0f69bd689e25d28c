using LeapSim.Core.Engine;
using LeapSim.Core.Inputs;
using LeapSim.Core.Scenarios;

namespace LeapSim.Core.Experiments;

/// <summary>One simulation of a batch: a scenario and the options of its run (seed, resolution, years, provinces).</summary>
public sealed record RunJob(ResolvedScenario Scenario, RunOptions Options);

/// <summary>
/// Runs many simulations on all cores: several at once, each on a share of the threads, so that at most
/// <c>parallelism</c> worlds are in memory at a time. Each finished run is handed to the caller, on the worker's thread,
/// and then dropped, so a batch of any size needs the memory of a few runs. Results do not depend on the thread count
/// or on the order in which runs finish (every run is reproducible from its seed; callers index by job).
/// </summary>
public static class RunBatch
{
    /// <param name="onFinished">Called once per job, from worker threads, with the job's index and its finished
    /// simulation; it must be thread-safe. Whatever it keeps, it keeps; the simulation is dropped after it returns.</param>
    /// <param name="parallelism">Runs at once (0 = one per core, but no more than the jobs).</param>
    /// <param name="progress">Reports the number of jobs finished so far.</param>
    public static void Run(IReadOnlyList<RunJob> jobs, Action<int, Simulation> onFinished, int parallelism = 0,
        BaselineInputs? inputs = null, IProgress<int>? progress = null, CancellationToken cancel = default) =>
        ForEach(jobs.Count, (i, threads) =>
        {
            var job = jobs[i];
            var sim = new Simulation(job.Scenario, job.Options with { Threads = threads }, inputs);
            sim.Run(null, cancel);
            onFinished(i, sim);
        }, parallelism, progress, cancel);

    /// <summary>
    /// The loop under <see cref="Run"/>: <paramref name="body"/>(item, threads each simulation may use) for items 0 to
    /// count − 1, several at once, taken in order (a stopped batch has done roughly a prefix).
    /// </summary>
    public static void ForEach(int count, Action<int, int> body, int parallelism = 0, IProgress<int>? progress = null, CancellationToken cancel = default)
    {
        if (count == 0) return;
        var cores = Environment.ProcessorCount;
        var atOnce = Math.Clamp(parallelism > 0 ? parallelism : cores, 1, count);
        var threadsEach = Math.Max(1, cores / atOnce);
        var done = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = atOnce, CancellationToken = cancel };
        var items = System.Collections.Concurrent.Partitioner.Create(Enumerable.Range(0, count), System.Collections.Concurrent.EnumerablePartitionerOptions.NoBuffering);
        Parallel.ForEach(items, options, i =>
        {
            body(i, threadsEach);
            progress?.Report(Interlocked.Increment(ref done));
        });
    }
}
