"""Money and policy: what plans cost per gemeente, the central-centre what-if, sweeps."""
