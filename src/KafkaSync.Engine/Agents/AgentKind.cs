namespace KafkaSync.Engine.Agents;

/// <summary>What kind of long-running work a registry entry stands for.</summary>
public enum AgentKind
{
    /// <summary>A source agent: Kafka into the source queue and over the link.</summary>
    Source,

    /// <summary>A target agent: the link into the target queue and on to Kafka.</summary>
    Target,

    /// <summary>The time-series cluster service: connectors, monitor, status endpoint and balancer.</summary>
    TsdbCluster,

    /// <summary>A read balancer that reads its node list from a cluster service.</summary>
    TsdbBalancer,

    /// <summary>The sending end of a link alone (a queue sent to a receiver).</summary>
    Sender,

    /// <summary>The receiving end of a link alone (a queue filled by a sender).</summary>
    Receiver,
}
