package io.netplane.agent.reconcile;

import io.netplane.agent.netlink.AddressInfo;
import io.netplane.agent.netlink.LinkInfo;
import io.netplane.agent.netlink.RtNetlink;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One dump of a namespace's links and addresses: the actual state a reconcile pass compares against. */
final class NamespaceView {

    final Map<String, LinkInfo> links = new HashMap<>();
    final List<AddressInfo> addresses;

    NamespaceView(RtNetlink nl) {
        for (LinkInfo l : nl.links()) {
            links.put(l.name(), l);
        }
        addresses = nl.addresses();
    }

    List<String> addressesOf(int index) {
        return addresses.stream().filter(a -> a.index() == index).map(AddressInfo::cidr).toList();
    }
}
