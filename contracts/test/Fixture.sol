// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {TestBase} from "./Base.sol";
import {G2} from "./G2.sol";
import {BN254} from "../src/libraries/BN254.sol";
import {Proxy, EmptyContract} from "../src/utils/Proxy.sol";
import {PauserRegistry} from "../src/utils/PauserRegistry.sol";
import {IPauserRegistry} from "../src/interfaces/IPauserRegistry.sol";
import {TestToken} from "../src/core/TestToken.sol";
import {StrategyBase} from "../src/core/StrategyBase.sol";
import {StrategyManager} from "../src/core/StrategyManager.sol";
import {DelegationManager} from "../src/core/DelegationManager.sol";
import {AVSDirectory} from "../src/core/AVSDirectory.sol";
import {IndexRegistry} from "../src/middleware/IndexRegistry.sol";
import {StakeRegistry} from "../src/middleware/StakeRegistry.sol";
import {BLSApkRegistry} from "../src/middleware/BLSApkRegistry.sol";
import {RegistryCoordinator} from "../src/middleware/RegistryCoordinator.sol";
import {OperatorStateRetriever} from "../src/middleware/OperatorStateRetriever.sol";
import {BLSSignatureChecker} from "../src/middleware/BLSSignatureChecker.sol";
import {IMultiProverServiceManager} from "../src/interfaces/IMultiProverServiceManager.sol";
import {MultiProverServiceManager} from "../src/avs/MultiProverServiceManager.sol";
import {IERC20} from "../src/interfaces/IERC20.sol";
import {IStrategy} from "../src/interfaces/IStrategy.sol";
import {IDelegationManager} from "../src/interfaces/IDelegationManager.sol";
import {IStrategyManager} from "../src/interfaces/IStrategyManager.sol";
import {IAVSDirectory} from "../src/interfaces/IAVSDirectory.sol";
import {IServiceManager} from "../src/interfaces/IServiceManager.sol";
import {IStakeRegistry} from "../src/interfaces/IStakeRegistry.sol";
import {IBLSApkRegistry} from "../src/interfaces/IBLSApkRegistry.sol";
import {IIndexRegistry} from "../src/interfaces/IIndexRegistry.sol";
import {IRegistryCoordinator} from "../src/interfaces/IRegistryCoordinator.sol";
import {ISignatureUtils} from "../src/interfaces/ISignatureUtils.sol";

interface IProxyAdminOps {
    function upgradeTo(address impl) external;
    function upgradeToAndCall(address impl, bytes calldata data) external;
}

/// @dev Deploys the whole devnet stack in the order documented in contracts/README.md.
abstract contract Fixture is TestBase {
    PauserRegistry internal pauserRegistry;
    EmptyContract internal empty;
    DelegationManager internal delegation;
    StrategyManager internal strategyManager;
    AVSDirectory internal avsDirectory;
    TestToken internal token;
    StrategyBase internal strategy;
    IndexRegistry internal indexRegistry;
    StakeRegistry internal stakeRegistry;
    BLSApkRegistry internal blsApkRegistry;
    RegistryCoordinator internal rc;
    MultiProverServiceManager internal sm;
    OperatorStateRetriever internal osr;

    uint96 internal constant MIN_STAKE = 1e16;

    struct Op {
        uint256 ecdsaKey;
        address addr;
        uint256 sk;
        BN254.G1Point pk1;
        BN254.G2Point pk2;
        bytes32 id;
    }

    function _proxy() internal returns (address) {
        return address(new Proxy(address(empty), address(this)));
    }

    function deployStack(bool poa) internal {
        address[] memory pausers = new address[](1);
        pausers[0] = address(this);
        pauserRegistry = new PauserRegistry(pausers, address(this));
        empty = new EmptyContract();
        // core
        delegation = DelegationManager(_proxy());
        strategyManager = StrategyManager(_proxy());
        avsDirectory = AVSDirectory(_proxy());
        IProxyAdminOps(address(delegation)).upgradeToAndCall(
            address(new DelegationManager(IStrategyManager(address(strategyManager)), address(empty), address(empty))),
            abi.encodeCall(DelegationManager.initialize, (address(this), pauserRegistry, 0, 50400, new IStrategy[](0), new uint256[](0)))
        );
        IProxyAdminOps(address(strategyManager)).upgradeToAndCall(
            address(new StrategyManager(IDelegationManager(address(delegation)), address(empty), address(empty))),
            abi.encodeCall(StrategyManager.initialize, (address(this), address(this), pauserRegistry, 0))
        );
        IProxyAdminOps(address(avsDirectory)).upgradeToAndCall(
            address(new AVSDirectory(IDelegationManager(address(delegation)))),
            abi.encodeCall(AVSDirectory.initialize, (address(this), pauserRegistry, 0))
        );
        token = new TestToken("Token1", "TOK1", 1e27, address(this));
        strategy = StrategyBase(_proxy());
        IProxyAdminOps(address(strategy)).upgradeToAndCall(
            address(new StrategyBase(address(strategyManager))),
            abi.encodeCall(StrategyBase.initialize, (IERC20(address(token)), IPauserRegistry(address(pauserRegistry))))
        );
        IStrategy[] memory ss = new IStrategy[](1);
        ss[0] = strategy;
        strategyManager.addStrategiesToDepositWhitelist(ss, new bool[](1));

        // middleware
        indexRegistry = IndexRegistry(_proxy());
        blsApkRegistry = BLSApkRegistry(_proxy());
        stakeRegistry = StakeRegistry(_proxy());
        rc = RegistryCoordinator(_proxy());
        IProxyAdminOps(address(indexRegistry)).upgradeTo(address(new IndexRegistry(IRegistryCoordinator(address(rc)))));
        IProxyAdminOps(address(blsApkRegistry)).upgradeTo(address(new BLSApkRegistry(IRegistryCoordinator(address(rc)))));
        IProxyAdminOps(address(stakeRegistry)).upgradeTo(
            address(new StakeRegistry(IRegistryCoordinator(address(rc)), IDelegationManager(address(delegation))))
        );
        sm = MultiProverServiceManager(_proxy());
        IRegistryCoordinator.OperatorSetParam[] memory osp = new IRegistryCoordinator.OperatorSetParam[](1);
        osp[0] = IRegistryCoordinator.OperatorSetParam(50, 11000, 200);
        uint96[] memory mins = new uint96[](1);
        mins[0] = MIN_STAKE;
        IStakeRegistry.StrategyParams[][] memory sp = new IStakeRegistry.StrategyParams[][](1);
        sp[0] = new IStakeRegistry.StrategyParams[](1);
        sp[0][0] = IStakeRegistry.StrategyParams(strategy, 1 ether);
        IProxyAdminOps(address(rc)).upgradeToAndCall(
            address(new RegistryCoordinator(IServiceManager(address(sm)), IStakeRegistry(address(stakeRegistry)),
                IBLSApkRegistry(address(blsApkRegistry)), IIndexRegistry(address(indexRegistry)))),
            abi.encodeCall(RegistryCoordinator.initialize,
                (address(this), address(this), address(this), pauserRegistry, 0, osp, mins, sp))
        );
        IProxyAdminOps(address(sm)).upgradeToAndCall(
            address(new MultiProverServiceManager(IAVSDirectory(address(avsDirectory)), IRegistryCoordinator(address(rc)),
                IStakeRegistry(address(stakeRegistry)))),
            abi.encodeCall(MultiProverServiceManager.initialize,
                (pauserRegistry, 0, address(this), address(this), address(this), address(this), poa))
        );
        osr = new OperatorStateRetriever();
        // TEE quorum 0 (SGX) and committee 3 on it
        sm.addTEEQuorum(IMultiProverServiceManager.TEEQuorum(IMultiProverServiceManager.TEE.INTEL_SGX, 0));
        sm.addCommittee(IMultiProverServiceManager.Committee(3, "devnet chain-state committee", "", hex"00"));
    }

    /// @dev Operator with BLS secret key sk; pkG2 = sk*G2 computed in Solidity (test-only G2 arithmetic).
    function makeOp(uint256 ecdsaKey, uint256 sk) internal view returns (Op memory o) {
        o.ecdsaKey = ecdsaKey;
        o.addr = vm.addr(ecdsaKey);
        o.sk = sk;
        o.pk1 = BN254.scalar_mul(BN254.generatorG1(), sk);
        o.pk2 = G2.mul(BN254.generatorG2(), sk);
        o.id = BN254.hashG1Point(o.pk1);
    }

    function fundAndDelegate(Op memory o, uint256 amount) internal {
        token.transfer(o.addr, amount);
        vm.startPrank(o.addr);
        token.approve(address(strategyManager), amount);
        strategyManager.depositIntoStrategy(strategy, IERC20(address(token)), amount);
        delegation.registerAsOperator(IDelegationManager.OperatorDetails(o.addr, address(0), 0), "");
        vm.stopPrank();
    }

    function registrationParams(Op memory o) internal view returns (IBLSApkRegistry.PubkeyRegistrationParams memory p) {
        BN254.G1Point memory h = rc.pubkeyRegistrationMessageHash(o.addr);
        p.pubkeyRegistrationSignature = BN254.scalar_mul(h, o.sk);
        p.pubkeyG1 = o.pk1;
        p.pubkeyG2 = o.pk2;
    }

    function avsSignature(Op memory o, bytes32 salt) internal view returns (ISignatureUtils.SignatureWithSaltAndExpiry memory s) {
        uint256 expiry = block.timestamp + 3600;
        bytes32 digest = avsDirectory.calculateOperatorAVSRegistrationDigestHash(o.addr, address(sm), salt, expiry);
        (uint8 v, bytes32 r, bytes32 ss) = vm.sign(o.ecdsaKey, digest);
        s = ISignatureUtils.SignatureWithSaltAndExpiry(abi.encodePacked(r, ss, v), salt, expiry);
    }

    function registerOp(Op memory o) internal {
        IBLSApkRegistry.PubkeyRegistrationParams memory p = registrationParams(o);
        ISignatureUtils.SignatureWithSaltAndExpiry memory s = avsSignature(o, keccak256(abi.encode(o.addr)));
        vm.prank(o.addr);
        rc.registerOperator(hex"00", "socket://op", p, s);
    }

    function signAll(Op[] memory ops, bool[] memory signs, bytes32 msgHash)
        internal
        view
        returns (BN254.G2Point memory apkG2, BN254.G1Point memory sigma)
    {
        BN254.G1Point memory h = BN254.hashToG1(msgHash);
        sigma = BN254.G1Point(0, 0);
        uint256 skSum;
        for (uint256 i = 0; i < ops.length; i++) {
            if (!signs[i]) continue;
            skSum = addmod(skSum, ops[i].sk, BN254.FR_MODULUS);
        }
        sigma = BN254.scalar_mul(h, skSum);
        apkG2 = G2.mul(BN254.generatorG2(), skSum);
    }
}
