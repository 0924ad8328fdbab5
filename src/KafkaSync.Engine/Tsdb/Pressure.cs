namespace KafkaSync.Engine.Tsdb;

/// <summary>The balancer's measure of how busy a node is.</summary>
public static class Pressure
{
    /// <summary>
    /// <c>(writeWeight × writers + readWeight × readers) / nodeWeight</c>: a node with weight 2
    /// carries twice the clients of a node with weight 1 at the same pressure.
    /// </summary>
    public static double Compute(double writeWeight, double readWeight, int writers, int readers, double nodeWeight) =>
        ((writeWeight * writers) + (readWeight * readers)) / nodeWeight;
}
