namespace WsGame.Api.Tests.Infrastructure;

/// <summary>
/// Tests that bound another client's delay while one misbehaves (no one stalled for a second): run alone,
/// after the parallel ones, so that what they measure is the server under test, not the other tests' load
/// on two cores. Only a bound that is a fairness check goes here; speed is for the benchmark.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "Delay bounds, alone in the process";
}
